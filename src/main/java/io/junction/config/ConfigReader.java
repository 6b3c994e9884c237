package io.junction.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, path-aware reads from one configuration object (a YAML mapping or a JSON body).
 * Every getter substitutes {@code ${VAR}} in text, records a problem naming the full path when the
 * value is unusable, and then returns null, so one pass reports every problem at once.
 */
final class ConfigReader {
  private final JsonNode node;
  private final String path;
  private final Problems problems;
  private final Map<String, String> env;

  ConfigReader(JsonNode node, String path, Problems problems, Map<String, String> env) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    this.env = env;
  }

  String path(String key) { return path.isEmpty() ? key : path + "." + key; }

  JsonNode node() { return node; }

  /** A reader of another node at the same path (the file entry merged with the environment). */
  ConfigReader withNode(JsonNode other) { return new ConfigReader(other, path, problems, env); }

  boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  void problem(String key, String message) { problems.add(path(key), message); }

  /** Records every key of this object that is not in {@code known}. */
  void rejectUnknown(Collection<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) problems.add(path(key), "unknown key");
    }
  }

  /** A required string: a problem when absent or empty. */
  String requiredString(String key) {
    String s = string(key);
    if (s == null && !has(key)) problem(key, "required");
    else if (s != null && s.isBlank()) {
      problem(key, "must not be empty");
      return null;
    }
    return s;
  }

  /** A string (numbers are taken as their text), substituted; null when absent. */
  String string(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) return null;
    return text(v, path(key), false);
  }

  /**
   * An optional string where an unset {@code ${VAR}} simply leaves the value out (like
   * {@code master_key: ${JUNCTION_MASTER_KEY}}); empty counts as absent.
   */
  String optionalString(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) return null;
    String s = text(v, path(key), true);
    return s == null || s.isEmpty() ? null : s;
  }

  /** A whole number in [min, max] (text such as {@code ${PORT:-8094}} is parsed); null when absent. */
  Long integer(String key, long min, long max) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) return null;
    Long n = null;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      n = v.asLong();
    } else if (v.isTextual()) {
      String s = text(v, path(key), false);
      if (s == null) return null;
      try {
        n = Long.parseLong(s.trim());
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    if (n == null) {
      problem(key, "must be an integer");
      return null;
    }
    String range = rangeProblem(n, min, max);
    if (range != null) {
      problem(key, range);
      return null;
    }
    return n;
  }

  /** A number >= 0 (prices); null when absent. */
  Double nonNegativeNumber(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) return null;
    Double d = null;
    if (v.isNumber()) {
      d = v.asDouble();
    } else if (v.isTextual()) {
      String s = text(v, path(key), false);
      if (s == null) return null;
      try {
        d = Double.parseDouble(s.trim());
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    if (d == null || d.isNaN() || d.isInfinite()) {
      problem(key, "must be a number");
      return null;
    }
    if (d < 0) {
      problem(key, "must be >= 0");
      return null;
    }
    return d;
  }

  Boolean bool(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) return null;
    if (v.isBoolean()) return v.asBoolean();
    if (v.isTextual()) {
      String s = text(v, path(key), false);
      if (s == null) return null;
      Boolean b = parseBoolean(s);
      if (b != null) return b;
    }
    problem(key, "must be true or false");
    return null;
  }

  /**
   * A list of non-empty strings. A single string is split on commas, so
   * {@code api_keys: ${MY_KEYS}} takes a comma-separated pool like the environment does.
   * Entries that substitute to empty are dropped when {@code dropEmpty}, else a problem.
   */
  List<String> strings(String key, boolean dropEmpty) { return strings(key, dropEmpty, item -> null); }

  /** {@link #strings(String, boolean)} with a check of each entry, which returns its problem or null. */
  List<String> strings(String key, boolean dropEmpty, java.util.function.Function<String, String> check) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) return null;
    List<String> out = new ArrayList<>();
    if (v.isTextual()) {
      String s = text(v, path(key), false);
      if (s == null) return null;
      for (String part : s.split(",")) {
        if (!part.isBlank()) addChecked(out, part.trim(), path(key), check);
      }
      return out;
    }
    if (!v.isArray()) {
      problem(key, "must be a list of strings");
      return null;
    }
    for (int i = 0; i < v.size(); i++) {
      String itemPath = path(key) + "[" + i + "]";
      String s = text(v.get(i), itemPath, false);
      if (s == null) continue;
      if (!s.isBlank()) addChecked(out, s, itemPath, check);
      else if (!dropEmpty) problems.add(itemPath, "must not be empty");
    }
    return out;
  }

  private void addChecked(List<String> out, String item, String at, java.util.function.Function<String, String> check) {
    String problem = check.apply(item);
    if (problem != null) problems.add(at, problem);
    else out.add(item);
  }

  /** A mapping of string to string (values substituted); null when absent. */
  Map<String, String> stringMap(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) return null;
    if (!v.isObject()) {
      problem(key, "must be a mapping of names to strings");
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String s = text(e.getValue(), path(key) + "." + e.getKey(), false);
      if (s != null) out.put(e.getKey(), s);
    }
    return out;
  }

  /**
   * The section at {@code key} with its unknown keys reported; an empty section when absent or not
   * a mapping (reported), so callers read defaults from it without null checks.
   */
  ConfigReader section(String key, Collection<String> known) {
    ConfigReader section = object(key);
    if (section == null) return new ConfigReader(io.junction.protocol.Json.object(), path(key), problems, env);
    section.rejectUnknown(known);
    return section;
  }

  /**
   * A string that {@code check} accepts (it returns the problem or null), trimmed; null when absent
   * or rejected. {@code optional} as in {@link #optionalString}.
   */
  String checked(String key, boolean optional, java.util.function.Function<String, String> check) {
    String value = optional ? optionalString(key) : string(key);
    if (value == null) return null;
    String problem = check.apply(value.trim());
    if (problem == null) return value.trim();
    problem(key, problem);
    return null;
  }

  /** The nested object at {@code key}, or null when absent (a problem when not an object). */
  ConfigReader object(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) return null;
    if (!v.isObject()) {
      problem(key, "must be a mapping");
      return null;
    }
    return new ConfigReader(v, path(key), problems, env);
  }

  /** The objects of the list at {@code key}; non-objects are problems and skipped. Empty when absent. */
  List<ConfigReader> objects(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) return List.of();
    if (!v.isArray()) {
      problem(key, "must be a list");
      return List.of();
    }
    List<ConfigReader> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      String itemPath = path(key) + "[" + i + "]";
      if (!v.get(i).isObject()) problems.add(itemPath, "must be a mapping");
      else out.add(new ConfigReader(v.get(i), itemPath, problems, env));
    }
    return out;
  }

  /** Substituted text of a scalar; null (and a problem unless {@code optional}) when it cannot be had. */
  private String text(JsonNode v, String at, boolean optional) {
    if (!v.isTextual() && !v.isNumber()) {
      problems.add(at, "must be a string");
      return null;
    }
    Substitution.Outcome o = Substitution.apply(v.asText(), env);
    if (o.malformed() != null) {
      problems.add(at, o.malformed());
      return null;
    }
    if (o.missingVariable() != null) {
      if (!optional) {
        problems.add(at, "environment variable " + o.missingVariable() + " is not set (write ${"
            + o.missingVariable() + ":-default} to give a default)");
      }
      return null;
    }
    return o.value();
  }

  // ---- value checks shared with the environment reader, which names the variable instead of a path ----

  static String rangeProblem(long n, long min, long max) {
    if (n >= min && n <= max) return null;
    return max >= Integer.MAX_VALUE ? "must be >= " + min : "must be between " + min + " and " + max;
  }

  static Boolean parseBoolean(String s) {
    return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> null;
    };
  }

  /** Null when {@code url} is an absolute http(s) URL with a host, else the problem. */
  static String httpUrlProblem(String url) {
    try {
      URI u = new URI(url.trim());
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
        if (u.getPort() == 0 || u.getPort() > 65535) return "port " + u.getPort() + " is not between 1 and 65535";
        if (u.getRawQuery() != null || u.getRawFragment() != null) return "must not have a query or a fragment";
        return null;
      }
    } catch (java.net.URISyntaxException ignored) {
      // reported below
    }
    return "must be an http:// or https:// URL";
  }
}
