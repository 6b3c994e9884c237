package io.junction.routing;

/**
 * What routing may look at besides the model: the end user (sticky routing), whether it streams,
 * and whether the request carries images or tools (candidates whose model the catalog says cannot
 * take them are skipped; the request path sets these from the decoded request).
 */
public record RouteQuery(String model, String user, boolean stream, boolean needsImages, boolean needsTools) {
  public RouteQuery(String model, String user, boolean stream) { this(model, user, stream, false, false); }

  public static RouteQuery of(String model) { return new RouteQuery(model, null, false); }
}
