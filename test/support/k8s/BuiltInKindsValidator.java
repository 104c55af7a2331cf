import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;

/**
 * Validates built-in Kubernetes objects against the official Java client's models (generated
 * from the Kubernetes API's OpenAPI document). Reads a JSON array of objects on stdin, writes a
 * JSON array of {kind, name, error?} on stdout. For each object: validateJsonElement() of the
 * model named by apiVersion and kind (unknown fields, missing required fields, wrong JSON
 * shapes, recursively), then a typed deserialisation (numbers, booleans, quantities,
 * int-or-string). A kind without a model is an error, not a pass.
 */
public class BuiltInKindsValidator {
  public static void main(String[] args) throws Exception {
    String input = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    JsonArray objects = JsonParser.parseString(input).getAsJsonArray();
    new JSON(); // registers the client's type adapters
    JsonArray results = new JsonArray();
    for (JsonElement element : objects) {
      JsonObject object = element.getAsJsonObject();
      String apiVersion = object.get("apiVersion").getAsString();
      String kind = object.get("kind").getAsString();
      JsonObject result = new JsonObject();
      result.addProperty("apiVersion", apiVersion);
      result.addProperty("kind", kind);
      result.addProperty("name", object.getAsJsonObject("metadata").get("name").getAsString());
      String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
      String model = "io.kubernetes.client.openapi.models.V" + version.substring(1) + kind;
      try {
        Class<?> type = Class.forName(model);
        type.getMethod("validateJsonElement", JsonElement.class).invoke(null, object);
        JSON.getGson().fromJson(object, type);
      } catch (ClassNotFoundException e) {
        result.addProperty("error", "no model " + model + " for " + apiVersion + " " + kind);
      } catch (InvocationTargetException e) {
        result.addProperty("error", String.valueOf(e.getCause().getMessage()));
      } catch (RuntimeException e) {
        result.addProperty("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      results.add(result);
    }
    System.out.println(results);
  }
}
