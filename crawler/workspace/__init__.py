"""The analysts' workspace (``jiazheng serve``): Datasette over the store, with a jiazheng plugin
that adds the review pages — a lead list with filters and full-text search, a lead page with its
evidence beside the decision buttons, and a dashboard on the home page.

The workspace is a UI layer over ``leads``: it reads through the store and writes decisions
through the lifecycle (``Store.apply_state_changes``), the same events ``review import`` writes.
Nothing in ``leads`` imports it.
"""
