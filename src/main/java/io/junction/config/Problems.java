package io.junction.config;

import java.util.ArrayList;
import java.util.List;

/** Every configuration problem found so far, each as {@code "<path>: <message>"}, in document order. */
final class Problems {
  private final List<String> list = new ArrayList<>();

  void add(String path, String message) {
    list.add(path.isEmpty() ? message : path + ": " + message);
  }

  boolean isEmpty() { return list.isEmpty(); }

  List<String> list() { return List.copyOf(list); }
}
