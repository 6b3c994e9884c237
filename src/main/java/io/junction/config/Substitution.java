package io.junction.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} in configuration strings. As in a shell, the default
 * is used when the variable is unset or empty. {@code $${} writes a literal {@code ${}.
 */
final class Substitution {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$\\{");

  /** The substituted text, or the first problem: an unset variable or a malformed reference. */
  record Outcome(String value, String missingVariable, String malformed) {}

  private Substitution() {}

  static Outcome apply(String text, Map<String, String> env) {
    if (text.indexOf('$') < 0) return new Outcome(text, null, null);
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      out.append(text, last, m.start());
      last = m.end();
      String token = m.group();
      if (token.equals("$${")) {
        out.append("${");
      } else if (m.group(1) == null) {
        return new Outcome(null, null, "malformed ${...} reference (expected ${VAR} or ${VAR:-default})");
      } else {
        String value = env.get(m.group(1));
        if (value == null || value.isEmpty()) value = m.group(2);
        if (value == null) return new Outcome(null, m.group(1), null);
        out.append(value);
      }
    }
    return new Outcome(out.append(text, last, text.length()).toString(), null, null);
  }

  /** Escapes text taken verbatim from the environment so that it is not substituted again. */
  static String escape(String text) { return text.replace("${", "$${"); }
}
