package dev.portico.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The demo's fixed data: three products and their reviews. */
final class DemoCatalog {
  private static final List<JsonObject> PRODUCTS =
      List.of(
          product("1", "Espresso machine", 249.00),
          product("2", "Burr grinder", 129.50),
          product("3", "Milk jug", 14.90));

  private DemoCatalog() {}

  static JsonArray products() {
    JsonArray list = new JsonArray();
    PRODUCTS.forEach(p -> list.add(p.copy()));
    return list;
  }

  /** The product, or null when there is none with that id. */
  static JsonObject product(String id) {
    return PRODUCTS.stream()
        .filter(p -> p.getString("id").equals(id))
        .findFirst()
        .map(JsonObject::copy)
        .orElse(null);
  }

  /** The reviews of a product, or null when there is no such product. */
  static JsonObject reviews(String productId) {
    if (product(productId) == null) {
      return null;
    }
    int n = Integer.parseInt(productId);
    JsonArray reviews =
        new JsonArray()
            .add(review("ana", 5, "Does exactly what it says."))
            .add(review("ben", 3 + n % 2, "Good value; shipping was slow."));
    return new JsonObject().put("productId", productId).put("reviews", reviews);
  }

  private static JsonObject product(String id, String name, double price) {
    return new JsonObject().put("id", id).put("name", name).put("price", price);
  }

  private static JsonObject review(String reviewer, int rating, String text) {
    return new JsonObject().put("reviewer", reviewer).put("rating", rating).put("text", text);
  }
}
