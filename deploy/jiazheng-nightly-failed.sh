#!/bin/sh
# Say that a jiazheng nightly failed, where an analyst looks (run by
# jiazheng-nightly-failed@.service; its argument is the failed unit's name).
#   - the journal, at priority err (the "<3>" prefix);
#   - a file next to the database, appended to (JIAZHENG_ALERT_FILE, default
#     /var/lib/jiazheng/NIGHTLY-FAILED.txt), times in Beijing time;
#   - mail to JIAZHENG_ALERT_MAIL when it is set and a `mail` command exists.
# systemd 251+ gives the failed run's result in MONITOR_* variables; older ones are asked.
set -u
unit="${1:-jiazheng-nightly.service}"
alert_file="${JIAZHENG_ALERT_FILE:-/var/lib/jiazheng/NIGHTLY-FAILED.txt}"
status="${MONITOR_EXIT_STATUS:-$(systemctl show --value -p ExecMainStatus "$unit" 2>/dev/null)}"
result="${MONITOR_SERVICE_RESULT:-$(systemctl show --value -p Result "$unit" 2>/dev/null)}"
case "$status" in
  3) what="降级：所有搜索引擎都只返回了验证码或拦截页，本次没有搜到任何结果（退出码 3）" ;;
  1) what="失败：有步骤出错，或另一个 nightly 正在使用数据库（退出码 1）" ;;
  *) what="失败：${result:-未知}（退出码 ${status:-未知}）" ;;
esac
when="$(TZ=Asia/Shanghai date '+%Y-%m-%d %H:%M:%S') 北京时间"
line="$when jiazheng nightly $what；详情：journalctl -u $unit"
if [ -n "${MONITOR_INVOCATION_ID:-}" ]; then
  last_lines="$(journalctl -q -o cat "_SYSTEMD_INVOCATION_ID=$MONITOR_INVOCATION_ID" -n 5 2>/dev/null)"
else
  last_lines="$(journalctl -q -o cat -u "$unit" -n 5 2>/dev/null)"
fi

echo "<3>$line"
written=yes
if [ -n "$last_lines" ]; then
  details="$(printf '%s\n' "$last_lines" | sed 's/^/    /')"
  printf '%s\n%s\n' "$line" "$details" >> "$alert_file"
else
  printf '%s\n' "$line" >> "$alert_file"
fi || { echo "<3>无法写入 $alert_file"; written=no; }
if [ -n "${JIAZHENG_ALERT_MAIL:-}" ] && command -v mail >/dev/null 2>&1; then
  printf '%s\n%s\n' "$line" "$last_lines" \
    | mail -s "jiazheng nightly failed on $(hostname) (exit ${status:-?})" "$JIAZHENG_ALERT_MAIL"
fi
[ "$written" = yes ]  # a file that could not be written fails this unit too (systemctl --failed)
