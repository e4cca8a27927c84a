#!/bin/sh
# Start Chromium as an unprivileged user so that its sandbox works although jiazheng runs as root
# (Chromium refuses to sandbox itself as root). Playwright starts this script in place of
# Chromium (leads/egress/chromium.py points executable_path here); it talks to the browser over the
# pipes on fds 3 and 4, which setpriv and env keep open through their exec.
#   JIAZHENG_CHROMIUM_REAL  the Chromium binary
#   JIAZHENG_BROWSER_USER   the user it runs as (bash setup.sh creates jiazheng-browser)
set -eu
user=${JIAZHENG_BROWSER_USER:?}
chromium=${JIAZHENG_CHROMIUM_REAL:?}
profile=
for arg do
  case $arg in --user-data-dir=*) profile=${arg#--user-data-dir=} ;; esac
done
if [ -z "$profile" ]; then
  echo "chromium_as_user.sh: Playwright passed no --user-data-dir" >&2
  exit 1
fi
# Playwright made the temporary profile as root; the browser must be able to write it. It is
# also the browser's HOME, so nothing of root's (or its environment) is visible to the browser.
chown -R "$user:" "$profile"
exec setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs \
  env -i HOME="$profile" PATH=/usr/bin:/bin LANG=C.UTF-8 "$chromium" "$@"
