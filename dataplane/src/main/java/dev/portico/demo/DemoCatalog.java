package dev.portico.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The demo's fixed data: three products, their reviews and stock, and customers' orders. */
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

  /** The products with these ids, in the order asked; unknown ids are skipped. */
  static JsonArray products(String... ids) {
    JsonArray list = new JsonArray();
    for (String id : ids) {
      JsonObject p = product(id.trim());
      if (p != null) {
        list.add(p);
      }
    }
    return list;
  }

  /** Stock of a product, or null when there is no such product. */
  static JsonObject stock(String productId) {
    if (product(productId) == null) {
      return null;
    }
    int n = Integer.parseInt(productId);
    return new JsonObject()
        .put("productId", productId)
        .put("inStock", n != 2)
        .put("quantity", n == 2 ? 0 : 10 * n)
        .put("warehouse", "east-" + n);
  }

  /** A customer's orders (customers are numbers from 1 to 99), or null for another id. */
  static JsonObject orders(String customerId) {
    int n;
    try {
      n = Integer.parseInt(customerId);
    } catch (NumberFormatException e) {
      return null;
    }
    if (n < 1 || n > 99) {
      return null;
    }
    JsonArray orders =
        new JsonArray()
            .add(order("o-" + (1000 + n), "1", 1, "2026-01-12"))
            .add(order("o-" + (2000 + n), "3", 2, "2026-02-03"));
    return new JsonObject().put("customerId", customerId).put("orders", orders);
  }

  private static JsonObject order(String id, String productId, int quantity, String placed) {
    return new JsonObject()
        .put("id", id)
        .put("productId", productId)
        .put("quantity", quantity)
        .put("placed", placed);
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
