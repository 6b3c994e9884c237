package io.junction.catalog;

/**
 * What one model can take, from {@code models.json}. Null fields are not known; callers treat an
 * unknown ability as present, so a gap in the catalog never refuses a request.
 */
public record ModelInfo(
    Long contextWindow,
    Long maxOutputTokens,
    Boolean reasoning,
    Boolean images,
    Boolean tools,
    Boolean jsonSchema,
    Boolean promptCaching) {

  /** False only when the catalog says the model takes no images. */
  public boolean mayTakeImages() { return !Boolean.FALSE.equals(images); }

  /** False only when the catalog says the model takes no tools. */
  public boolean mayTakeTools() { return !Boolean.FALSE.equals(tools); }

  /** False only when the catalog says the model has no reasoning settings. */
  public boolean mayReason() { return !Boolean.FALSE.equals(reasoning); }
}
