using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.OpenApi;

namespace Usrv.Route;

/// <summary>
/// JSON Schemas (OpenAPI 3.1 section 4.8.24, JSON Schema 2020-12) for the CLR types of one document, made at build time:
/// numbers, text, <see cref="Guid"/>, dates and enums inline; lists as arrays, dictionaries as objects with
/// <c>additionalProperties</c>; other types, as <see cref="RouterOptions.Json"/> reads and writes them (their System.Text.Json
/// contract), as components under <c>#/components/schemas</c>, so that a type met twice, or inside itself, is described once.
/// </summary>
internal sealed class OpenApiSchemas(OpenApiDocument document, JsonSerializerOptions json)
{
    /// <summary>The component name of RFC 9457 problem details.</summary>
    public const string ProblemDetailsName = "ProblemDetails";

    private readonly Dictionary<Type, string> _components = [];

    /// <summary>The schema of <paramref name="type"/> as a JSON value (a body, a reply).</summary>
    public IOpenApiSchema ForJson(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return OrNull(ForJson(underlying));
        if (Scalar(type) is { } scalar) return scalar;
        if (type.IsEnum)
        {
            // System.Text.Json writes enums as numbers unless a converter says otherwise.
            return new OpenApiSchema { Type = JsonSchemaType.Integer, Enum = [.. Enum.GetValuesAsUnderlyingType(type).Cast<object>()
                .Select(v => (JsonNode)JsonValue.Create(Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)))] };
        }
        if (IsAny(type)) return new OpenApiSchema();
        var contract = json.GetTypeInfo(type);
        return contract.Kind switch
        {
            JsonTypeInfoKind.Enumerable => new OpenApiSchema { Type = JsonSchemaType.Array, Items = ForJson(contract.ElementType!) },
            JsonTypeInfoKind.Dictionary => new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalProperties = ForJson(contract.ElementType!),
            },
            JsonTypeInfoKind.Object => Component(type, contract),
            _ => new OpenApiSchema(), // a converter of its own: its shape is not known here
        };
    }

    /// <summary>
    /// The schema of a query value or path segment converted to <paramref name="type"/> (<see cref="ValueParsers"/>): text
    /// for <c>object</c> and <c>string</c>, enums by name, numbers, <c>bool</c> (<c>true</c>, <c>false</c>, <c>1</c>, <c>0</c>).
    /// </summary>
    public static OpenApiSchema ForText(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. Enum.GetNames(type).Select(n => (JsonNode)JsonValue.Create(n))],
            };
        }
        return Scalar(type) ?? new OpenApiSchema { Type = JsonSchemaType.String };
    }

    /// <summary>
    /// The schema of a route capture (usrv's segment types): <c>int</c> integer/int32, <c>long</c> integer/int64, <c>float</c>
    /// number/double, <c>bool</c> boolean, <c>guid</c> string/uuid, <c>str</c> and <c>path</c> string.
    /// </summary>
    public static OpenApiSchema ForSegment(RouteSegmentType segment) =>
        Scalar(segment.ClrType) ?? new OpenApiSchema { Type = JsonSchemaType.String };

    /// <summary>The default of a parameter as JSON, or <c>null</c> when it has none worth saying.</summary>
    public JsonNode? Default(EndpointParameter parameter, bool asText)
    {
        if (!parameter.Info.HasDefaultValue || parameter.Info.DefaultValue is not { } value) return null;
        if (value.GetType().IsEnum && asText) return JsonValue.Create(value.ToString());
        return JsonSerializer.SerializeToNode(value, value.GetType(), json);
    }

    /// <summary>A reference to the RFC 9457 problem details component (RFC 9457 section 3.1), adding it on first use.</summary>
    public IOpenApiSchema ProblemDetails()
    {
        var schemas = document.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        if (!schemas.ContainsKey(ProblemDetailsName))
        {
            schemas[ProblemDetailsName] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "RFC 9457 problem details (application/problem+json); usrv writes type, title, status and detail.",
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                {
                    ["type"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Format = "uri-reference",
                        Default = JsonValue.Create("about:blank"),
                        Description = "a URI reference that identifies the problem type (RFC 9457 section 3.1.1)",
                    },
                    ["title"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "a short summary of the problem type; usrv: the status's reason phrase (RFC 9457 section 3.1.3)",
                    },
                    ["status"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Integer,
                        Format = "int32",
                        Minimum = "100",
                        Maximum = "599",
                        Description = "the HTTP status code (RFC 9457 section 3.1.2)",
                    },
                    ["detail"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "what went wrong with this request, e.g. the parameter named (RFC 9457 section 3.1.4)",
                    },
                    ["instance"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Format = "uri-reference",
                        Description = "a URI reference that identifies this occurrence (RFC 9457 section 3.1.5)",
                    },
                },
            };
        }
        return new OpenApiSchemaReference(ProblemDetailsName, document);
    }

    private IOpenApiSchema Component(Type type, JsonTypeInfo contract)
    {
        if (!_components.TryGetValue(type, out var name))
        {
            name = UniqueName(type);
            _components[type] = name;
            var schemas = document.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
            var schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
            };
            schemas[name] = schema; // before the properties: a type that holds itself refers to this entry
            foreach (var property in contract.Properties)
            {
                schema.Properties[property.Name] = ForJson(property.PropertyType);
                if (property.IsRequired) (schema.Required ??= new HashSet<string>(StringComparer.Ordinal)).Add(property.Name);
            }
        }
        return new OpenApiSchemaReference(name, document);
    }

    // Component names match ^[a-zA-Z0-9.\-_]+$ (OpenAPI 3.1 section 4.8.7.1).
    private string UniqueName(Type type)
    {
        var friendly = new string(
            [.. TypeNames.Friendly(type).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]);
        var name = friendly;
        var schemas = document.Components!.Schemas;
        for (int i = 2; (schemas?.ContainsKey(name) ?? false) || name == ProblemDetailsName; i++) name = $"{friendly}{i}";
        return name;
    }

    private static OpenApiSchema OrNull(IOpenApiSchema schema) =>
        schema is OpenApiSchema { Type: { } type } inline
            ? WithType((OpenApiSchema)inline.CreateShallowCopy(), type | JsonSchemaType.Null)
            : new OpenApiSchema { AnyOf = [schema, new OpenApiSchema { Type = JsonSchemaType.Null }] };

    private static OpenApiSchema WithType(OpenApiSchema schema, JsonSchemaType type)
    {
        schema.Type = type;
        return schema;
    }

    private static bool IsAny(Type type) =>
        type == typeof(object) || type == typeof(JsonElement) || type == typeof(JsonDocument) || typeof(JsonNode).IsAssignableFrom(type);

    private static OpenApiSchema? Scalar(Type type)
    {
        if (type == typeof(string) || type == typeof(char)) return Of(JsonSchemaType.String);
        if (type == typeof(bool)) return Of(JsonSchemaType.Boolean);
        if (type == typeof(int) || type == typeof(short) || type == typeof(ushort) || type == typeof(byte) || type == typeof(sbyte))
            return Of(JsonSchemaType.Integer, "int32");
        if (type == typeof(long) || type == typeof(uint) || type == typeof(ulong)) return Of(JsonSchemaType.Integer, "int64");
        if (type == typeof(double)) return Of(JsonSchemaType.Number, "double");
        if (type == typeof(float)) return Of(JsonSchemaType.Number, "float");
        if (type == typeof(decimal)) return Of(JsonSchemaType.Number, "decimal");
        if (type == typeof(Guid)) return Of(JsonSchemaType.String, "uuid");
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return Of(JsonSchemaType.String, "date-time");
        if (type == typeof(DateOnly)) return Of(JsonSchemaType.String, "date");
        if (type == typeof(TimeOnly)) return Of(JsonSchemaType.String, "time");
        if (type == typeof(Uri)) return Of(JsonSchemaType.String, "uri");
        if (type == typeof(byte[])) return new OpenApiSchema { Type = JsonSchemaType.String, ContentEncoding = "base64" };
        return null;
    }

    private static OpenApiSchema Of(JsonSchemaType type, string? format = null) => new() { Type = type, Format = format };
}
