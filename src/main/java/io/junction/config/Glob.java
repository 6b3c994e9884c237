package io.junction.config;

/**
 * The one glob matcher of the config's model patterns ({@code models: ["ft:*"]}, a virtual key's
 * allowed models): {@code *} any run of characters, {@code ?} one character, everything else
 * literal. Linear for the usual patterns (backtracking only over the last {@code *}).
 */
public final class Glob {
  private Glob() {}

  public static boolean isGlob(String pattern) { return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0; }

  public static boolean matches(String pattern, String text) {
    int p = 0, t = 0, star = -1, mark = 0;
    while (t < text.length()) {
      if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') p++;
    return p == pattern.length();
  }
}
