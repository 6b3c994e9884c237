# Source me: exports JAVA_HOME (a JDK >= 21) and puts it first on PATH.
# Looks at $JAVA_HOME, then every JDK under /usr/lib/jvm and /opt, then `java` on PATH.
_junction_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}
_junction_find_jdk() {
  local d v
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$d" ] && [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ] || continue
    v=$(_junction_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null; then echo "$d"; return 0; fi
  done
  return 1
}
if _jdk=$(_junction_find_jdk); then
  export JAVA_HOME="$_jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "Junction needs a JDK 21 or newer (none found in JAVA_HOME or /usr/lib/jvm)." >&2
  return 1 2>/dev/null || exit 1
fi
unset _jdk
