package org.fedgen.runs;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.fedgen.models.vae.VaeConfig;

/**
 * The JSON form of a {@link RunConfig}: what a checkpoint's provenance and a run directory's {@code config.json}
 * hold, and what {@code --config} reads. Every record component is a field of the same name; the model is an object
 * whose {@code family} ({@code vae}, {@code gan}, {@code ddpm}) selects its settings; enums are written as the CLI
 * spells them. When reading, a missing field takes its default (for the model's family, so a GAN file without
 * {@code rounds} gets a GAN's rounds), an unknown field is refused, and the result is checked like a built
 * configuration.
 */
public final class RunConfigJson {
    private static final ObjectMapper MAPPER = mapper();

    private RunConfigJson() {
    }

    /** Pretty-printed JSON of every value of the configuration. */
    public static String write(RunConfig config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the configuration as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The configuration as a JSON tree (for embedding in a larger document). */
    static JsonNode tree(RunConfig config) {
        return MAPPER.valueToTree(config);
    }

    /**
     * Reads a configuration; missing values take their defaults.
     *
     * @param source named in messages (e.g. the file)
     * @throws IllegalArgumentException naming the source and the bad or unknown field
     */
    public static RunConfig read(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        return read(root, source);
    }

    /** As {@link #read(String, String)}, from a parsed tree. */
    static RunConfig read(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a run configuration must be a JSON object");
        }
        try {
            ModelSettings model = model(root.get("model"), source);
            ObjectNode full = (ObjectNode) tree(RunConfig.builder().model(model).build());
            mergeInto(full, (ObjectNode) root, "dp", source);
            mergeInto(full, (ObjectNode) root, "secureAggregation", source);
            mergeInto(full, (ObjectNode) root, "images", source);
            Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!f.getKey().equals("model") && !f.getKey().equals("dp")
                        && !f.getKey().equals("secureAggregation") && !f.getKey().equals("images")) {
                    full.set(f.getKey(), f.getValue());
                }
            }
            full.set("model", MAPPER.valueToTree(model));
            RunConfig parsed = MAPPER.treeToValue(full, RunConfig.class);
            return parsed.toBuilder().build();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + e.getOriginalMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** The model settings over the family's defaults, checked by the family's builder. */
    private static ModelSettings model(JsonNode node, String source) throws JsonProcessingException {
        if (node == null || node.isNull()) {
            return VaeSettings.defaults();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("'model' must be an object with a 'family'");
        }
        String family = node.path("family").asText("vae");
        ModelSettings defaults = switch (family) {
            case "vae" -> VaeSettings.defaults();
            case "gan" -> GanSettings.builder().build();
            case "ddpm" -> DdpmSettings.builder().build();
            default -> throw new IllegalArgumentException("unknown model family '" + family
                    + "'; valid: vae, gan, ddpm");
        };
        ObjectNode merged = (ObjectNode) MAPPER.valueToTree(defaults);
        merged.setAll((ObjectNode) node);
        ModelSettings m = MAPPER.treeToValue(merged, ModelSettings.class);
        if (m instanceof GanSettings g) {
            return g.toBuilder().build();
        }
        if (m instanceof DdpmSettings d) {
            return DdpmSettings.builder().denoiser(d.denoiser()).mlpWidth(d.mlpWidth()).mlpDepth(d.mlpDepth())
                    .unetChannels(d.unetChannels()).schedule(d.schedule()).timesteps(d.timesteps())
                    .sampler(d.sampler()).ddimSteps(d.ddimSteps()).minSnrGamma(d.minSnrGamma())
                    .emaDecay(d.emaDecay()).labelDropout(d.labelDropout()).guidance(d.guidance())
                    .guidanceInterval(d.guidanceInterval()).guidanceSchedule(d.guidanceSchedule())
                    .conditional(d.conditional()).build();
        }
        return m;
    }

    /** Puts the file's object {@code name} over that object's defaults into {@code full} (null stays null). */
    private static void mergeInto(ObjectNode full, ObjectNode root, String name, String source) {
        JsonNode given = root.get(name);
        if (given == null || given.isNull()) {
            full.set(name, given);
            return;
        }
        if (!given.isObject()) {
            throw new IllegalArgumentException("'" + name + "' must be an object or null");
        }
        ObjectNode defaults = switch (name) {
            case "dp" -> (ObjectNode) MAPPER.valueToTree(DpConfig.builder(0, null).build());
            // grayscale at the files' own size, as ImageData.clientFolders and pooledIdx read
            case "images" -> MAPPER.createObjectNode().put("channels", 1).put("height", 0).put("width", 0);
            default -> (ObjectNode) MAPPER.valueToTree(SecureAggregationSettings.defaults());
        };
        defaults.setAll((ObjectNode) given);
        full.set(name, defaults);
    }

    private static ObjectMapper mapper() {
        SimpleModule m = new SimpleModule("fedgen");
        m.addSerializer(Path.class, new PathSerializer());
        m.addDeserializer(Path.class, new PathDeserializer());
        m.addSerializer(VaeConfig.class, new VaeConfigSerializer());
        m.addDeserializer(VaeConfig.class, new VaeConfigDeserializer());
        m.setMixInAnnotation(ModelSettings.class, ModelSettingsMixin.class);
        return JsonMapper.builder().addModule(m)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
                .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .build();
    }

    /** The model family as the type id of the model object. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "family")
    @JsonSubTypes({@JsonSubTypes.Type(value = VaeSettings.class, name = "vae"),
            @JsonSubTypes.Type(value = GanSettings.class, name = "gan"),
            @JsonSubTypes.Type(value = DdpmSettings.class, name = "ddpm")})
    private interface ModelSettingsMixin {
    }

    /** A path as the user wrote it (Jackson's default would make it an absolute URI). */
    private static final class PathSerializer extends JsonSerializer<Path> {
        @Override
        public void serialize(Path value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class PathDeserializer extends JsonDeserializer<Path> {
        @Override
        public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Path.of(p.getValueAsString());
        }
    }

    /** VaeConfig is a builder-made class, not a record: its fields are written one by one. */
    private static final class VaeConfigSerializer extends JsonSerializer<VaeConfig> {
        @Override
        public void serialize(VaeConfig c, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeStartObject();
            gen.writeNumberField("inputDim", c.inputDim());
            gen.writeNumberField("hiddenDim", c.hiddenDim());
            gen.writeNumberField("latentDim", c.latentDim());
            gen.writeNumberField("beta", c.beta());
            gen.writeStringField("optimizer", c.optimizer().name());
            gen.writeNumberField("adamBeta1", c.adamBeta1());
            gen.writeNumberField("adamBeta2", c.adamBeta2());
            gen.writeNumberField("adamEpsilon", c.adamEpsilon());
            gen.writeNumberField("numClasses", c.numClasses());
            gen.writeEndObject();
        }
    }

    /** Missing fields keep the builder's defaults; the builder checks every value. */
    private static final class VaeConfigDeserializer extends JsonDeserializer<VaeConfig> {
        @Override
        public VaeConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode n = p.readValueAsTree();
            VaeConfig.Builder b = VaeConfig.builder();
            Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode v = f.getValue();
                switch (f.getKey()) {
                    case "inputDim" -> b.inputDim(v.intValue());
                    case "hiddenDim" -> b.hiddenDim(v.intValue());
                    case "latentDim" -> b.latentDim(v.intValue());
                    case "beta" -> b.beta(v.doubleValue());
                    case "optimizer" -> b.optimizer(VaeConfig.Optimizer.valueOf(v.asText().toUpperCase(
                            java.util.Locale.ROOT)));
                    case "adamBeta1" -> b.adamBeta1(v.doubleValue());
                    case "adamBeta2" -> b.adamBeta2(v.doubleValue());
                    case "adamEpsilon" -> b.adamEpsilon(v.doubleValue());
                    case "numClasses" -> b.numClasses(v.intValue());
                    default -> throw new IllegalArgumentException("unknown VAE setting '" + f.getKey() + "'");
                }
            }
            return b.build();
        }
    }
}
