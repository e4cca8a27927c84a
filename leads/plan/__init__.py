"""What to search tonight: the query plan composed from the keyword library and ranked by what each
query found before, and the permutations of the official names probed for life."""
