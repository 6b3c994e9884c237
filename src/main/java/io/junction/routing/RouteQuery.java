package io.junction.routing;

/** What routing may look at besides the model: the end user (sticky routing) and whether it streams. */
public record RouteQuery(String model, String user, boolean stream) {
  public static RouteQuery of(String model) { return new RouteQuery(model, null, false); }
}
