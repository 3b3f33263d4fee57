using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.OpenApi;

namespace Usrv.Route;

/// <summary>
/// Describes a router's bindings as an OpenAPI 3.1 document (Microsoft.OpenApi's model), at build time, from what binding
/// decided (DESIGN, Binding): the route pattern gives the path and its path parameters, the parameter plan the query
/// parameters and the request body, the return type the 200 answer, the pipeline the problem answers (RFC 9457), and the
/// sender policy the <c>usrv2</c> security requirement. Nothing here runs per request.
/// </summary>
internal static class OpenApiDocumentBuilder
{
    /// <summary>The name of the usrv/2 security scheme under <c>#/components/securitySchemes</c>.</summary>
    public const string SecuritySchemeName = "usrv2";

    /// <summary>The tag of the router's built-in endpoints (keys, this document).</summary>
    public const string BuiltInTag = "usrv";

    private static readonly HttpMethod[] NoBodyMethods = [HttpMethod.Get, HttpMethod.Head, HttpMethod.Delete, HttpMethod.Options];

    /// <summary>The document of <paramref name="table"/>'s bindings and of the built-in endpoints that are reachable.</summary>
    public static OpenApiDocument Build(RouteTable table, RouterSettings settings)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = settings.OpenApiTitle,
                Version = settings.OpenApiVersion,
                Description = "Endpoints of a usrv router. Any call may also travel sealed and signed as a usrv/2 call " +
                    "(see /.well-known/usrv-keys); endpoints that require it carry the usrv2 security requirement.",
            },
            Paths = [],
            Components = new OpenApiComponents(),
            Tags = new HashSet<OpenApiTag>(),
        };
        var schemas = new OpenApiSchemas(document, settings.Json);
        var ids = OperationIds(table.All);
        foreach (var binding in table.All)
        {
            var path = Template(binding.Pattern);
            if (!document.Paths.TryGetValue(path, out var item)) document.Paths[path] = item = new OpenApiPathItem();
            var operations = ((OpenApiPathItem)item).Operations ??= [];
            foreach (var verb in binding.Methods)
            {
                var method = new HttpMethod(verb);
                // Two patterns of one template (/x/<int:a>, /x/<a>): the first bound is described; the spec has one operation.
                if (operations.ContainsKey(method)) continue;
                operations[method] = Operation(document, schemas, binding, method, ids[(binding, verb)]);
            }
        }
        AddBuiltIns(document, table, settings);
        if (document.Components.SecuritySchemes is null && document.Components.Schemas is null) document.Components = null;
        return document;
    }

    /// <summary>The OpenAPI path template of a pattern: <c>/&lt;int:b&gt;/&lt;a&gt;</c> is <c>/{b}/{a}</c>.</summary>
    public static string Template(RoutePattern pattern)
    {
        if (pattern.IsLiteral) return pattern.Text;
        var builder = new StringBuilder();
        int capture = 0;
        foreach (var segment in pattern.Text[1..].Split('/'))
        {
            builder.Append('/');
            if (segment.StartsWith('<')) builder.Append('{').Append(pattern.Captures[capture++].Name).Append('}');
            else builder.Append(segment);
        }
        return builder.ToString();
    }

    private static OpenApiOperation Operation(OpenApiDocument document, OpenApiSchemas schemas, Binding binding, HttpMethod method,
        string operationId)
    {
        var tag = binding.Method.DeclaringType is { } type && !IsCompilerGenerated(type) ? type.Name : null;
        var operation = new OpenApiOperation
        {
            OperationId = operationId,
            Summary = binding.HandlerName,
            Parameters = Parameters(binding, schemas),
            Responses = Responses(binding, method, schemas),
        };
        if (tag is not null)
        {
            document.Tags!.Add(new OpenApiTag { Name = tag });
            operation.Tags = new HashSet<OpenApiTagReference> { new(tag, document) };
        }
        if (operation.Parameters.Count == 0) operation.Parameters = null;
        if (!NoBodyMethods.Contains(method)) operation.RequestBody = RequestBody(binding, schemas);
        if (binding.SenderPolicy is { } policy)
        {
            AddSecurityScheme(document);
            // OpenAPI 3.1 section 4.8.30: for schemes other than OAuth2/OpenID Connect, the list MAY name required roles.
            operation.Security =
            [
                new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(SecuritySchemeName, document)] = policy.Set is { } set ? [set] : [],
                },
            ];
        }
        return operation;
    }

    private static List<IOpenApiParameter> Parameters(Binding binding, OpenApiSchemas schemas)
    {
        var plan = binding.Parameters.Plan;
        var list = new List<IOpenApiParameter>();
        foreach (var capture in binding.Pattern.Captures)
        {
            var reader = plan.FirstOrDefault(p => p.Parameter.Name == capture.Name && p.Binder.ValueName == capture.Name);
            // A str capture read by a typed parameter (<id> into int id) takes that type's values only (400 otherwise).
            var schema = capture.Type.Name == "str" && reader is { Source: NamedValueSource }
                ? OpenApiSchemas.ForText(reader.Parameter.Type)
                : OpenApiSchemas.ForSegment(capture.Type);
            list.Add(new OpenApiParameter
            {
                Name = capture.Name,
                In = ParameterLocation.Path,
                Required = true,
                Schema = schema,
                Description = capture.Type.IsRest
                    ? "usrv <path:...>: the rest of the path, '/' included (send it unencoded); never a '.' or '..' " +
                        "segment, an empty segment, a NUL or a backslash (400)"
                    : capture.Type.Name == "str" ? null : $"usrv <{capture.Type.Name}:...>: a segment that is not one does not match (404)",
            });
        }
        bool kwargs = plan.Any(p => p.Source is KwargsSource);
        foreach (var (parameter, _, source) in plan)
        {
            var overrides = parameter.CaptureIndex >= 0 ? "; overrides the path value of the same name (usrv)" : "";
            switch (source)
            {
                case NamedValueSource:
                    var value = OpenApiSchemas.ForText(parameter.Type);
                    value.Default = schemas.Default(parameter, asText: true);
                    list.Add(new OpenApiParameter
                    {
                        Name = parameter.Name,
                        In = ParameterLocation.Query,
                        Required = !parameter.HasFallback && parameter.CaptureIndex < 0,
                        Schema = value,
                        Description = $"{parameter.TypeName} {parameter.Name}{overrides}",
                    });
                    break;
                case NamedCollectionSource:
                    list.Add(new OpenApiParameter
                    {
                        Name = parameter.Name,
                        In = ParameterLocation.Query,
                        Required = !parameter.HasFallback && parameter.CaptureIndex < 0,
                        Style = ParameterStyle.Form,
                        Explode = true,
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Array,
                            Items = OpenApiSchemas.ForText(Element(parameter.Type)),
                        },
                        Description = $"{parameter.TypeName} {parameter.Name}: every value of the name " +
                            $"(?{parameter.Name}=a&{parameter.Name}=b){overrides}",
                    });
                    break;
                case ArgsSource when !kwargs:
                case KwargsSource:
                    // A free-form object, style form, explode: any further name=value pairs of the query (OpenAPI 3.1 4.8.12.4).
                    list.Add(new OpenApiParameter
                    {
                        Name = parameter.Name,
                        In = ParameterLocation.Query,
                        Required = false,
                        Style = ParameterStyle.Form,
                        Explode = true,
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
                        },
                        Description = source is KwargsSource
                            ? "usrv **kwargs: any other query values, by name (with the uncaught path values, method, headers and data)"
                            : "usrv *args: any other query values, in order (then the uncaught path values, method, headers and data)",
                    });
                    break;
            }
        }
        return list;
    }

    private static OpenApiRequestBody? RequestBody(Binding binding, OpenApiSchemas schemas)
    {
        var content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
        bool required = false;
        var descriptions = new List<string>();
        foreach (var (parameter, binder, source) in binding.Parameters.Plan)
        {
            switch (source)
            {
                case JsonBodySource:
                    content["application/json"] = new OpenApiMediaType { Schema = schemas.ForJson(parameter.Type) };
                    required |= !parameter.HasFallback;
                    descriptions.Add($"{parameter.TypeName} {parameter.Name}: the JSON body");
                    break;
                case FormSource:
                    // FormData reads multipart bodies only (RFC 7578); any part, by name.
                    content["multipart/form-data"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = new OpenApiSchema() },
                    };
                    descriptions.Add($"FormData {parameter.Name}: the multipart/form-data parts");
                    break;
                case UsrvValuesSource when binder.ReadsBody:
                case KwargsSource:
                case ArgsSource:
                    var media = parameter.Type == typeof(string) ? "text/plain"
                        : parameter.Type == typeof(byte[]) ? "application/octet-stream"
                        : "*/*";
                    content.TryAdd(media, new OpenApiMediaType { Schema = new OpenApiSchema() });
                    descriptions.Add($"usrv data ({parameter.Name}): the body as sent: a form, text or bytes");
                    break;
            }
        }
        if (content.Count == 0) return null;
        return new OpenApiRequestBody { Content = content, Required = required, Description = string.Join("; ", descriptions) };
    }

    private static OpenApiResponses Responses(Binding binding, HttpMethod method, OpenApiSchemas schemas)
    {
        var returned = Unwrap(binding.Method.ReturnType);
        var ok = new OpenApiResponse { Description = "the handler's answer (usrv: the items after the status, as JSON)" };
        if (method != HttpMethod.Head)
        {
            ok.Content = typeof(Reply).IsAssignableFrom(returned)
                ? new Dictionary<string, OpenApiMediaType> { ["*/*"] = new OpenApiMediaType { Schema = new OpenApiSchema() } }
                : new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new OpenApiMediaType { Schema = ReplySchema(returned, schemas) },
                };
        }
        var responses = new OpenApiResponses { ["200"] = ok };
        var plan = binding.Parameters.Plan;
        Problem(responses, schemas, "400", "a malformed query, or a parameter that is missing or does not convert" +
            (binding.Pattern.Captures.Any(c => c.Type.IsRest) ? ", or an unsafe path capture" : ""));
        if (binding.SenderPolicy is { } policy)
        {
            Problem(responses, schemas, "401", "a plain call, or a signature that does not verify: only usrv/2 sealed calls");
            if (policy.Set is { } set) Problem(responses, schemas, "403", $"the sender is not one of the set '{set}' (sealed)");
            Problem(responses, schemas, "412", "the usrv/2 nonce is outside the window, or was seen before");
        }
        if (binding.Pattern.Captures.Any(c => c.Type.Name is not ("str" or "path")))
            Problem(responses, schemas, "404", "a typed path segment that does not parse: the pattern does not match");
        if (returned == typeof(object) || returned == typeof(ITuple))
            Problem(responses, schemas, "406", "the handler answered without a status first (usrv)");
        if (binding.Parameters.ReadsBody && !NoBodyMethods.Contains(method))
            Problem(responses, schemas, "413", "the body is larger than the router's limit");
        if (plan.Any(p => p.Source is JsonBodySource
            || (p.Source is UsrvValuesSource && p.Binder.ReadsBody && p.Parameter.Type != typeof(object))))
            Problem(responses, schemas, "415", "a multipart body where the endpoint reads JSON or text");
        Problem(responses, schemas, "500", "the handler failed (no exception text; the server's log has it)");
        responses["default"] = new OpenApiResponse
        {
            Description = "another status the handler chose: JSON, or RFC 9457 problem details from 400 on",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchema() },
                [ProblemDetails.ContentType] = new OpenApiMediaType { Schema = schemas.ProblemDetails() },
            },
        };
        return responses;
    }

    private static IOpenApiSchema ReplySchema(Type returned, OpenApiSchemas schemas)
    {
        if (returned == typeof(int)) return new OpenApiSchema { Type = JsonSchemaType.Null }; // a bare status: null
        if (returned.IsGenericType && returned.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
        {
            var items = returned.GetGenericArguments();
            if (items.Length == 2) return schemas.ForJson(items[1]);
            return new OpenApiSchema { Type = JsonSchemaType.Array, MinItems = items.Length - 1, MaxItems = items.Length - 1 };
        }
        return new OpenApiSchema();
    }

    private static void Problem(OpenApiResponses responses, OpenApiSchemas schemas, string status, string description) =>
        responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemDetails.ContentType] = new OpenApiMediaType { Schema = schemas.ProblemDetails() },
            },
        };

    private static void AddSecurityScheme(OpenApiDocument document)
    {
        var schemes = document.Components!.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        // No OpenAPI scheme type fits a signed and sealed request; apiKey in a header names the header that carries the proof.
        schemes.TryAdd(SecuritySchemeName, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Sender-Signature",
            Description = "usrv/2 sealed call: HPKE auth mode + BIP340 signature, see /.well-known/usrv-keys. The request carries " +
                "Usrv-Scheme: usrv/2, Nonce, Ephemeral-Public-Key, Sender-Public-Key, Recipient-Public-Key and Sender-Signature; " +
                "a role names the sender set that must hold the caller's key.",
        });
    }

    private static void AddBuiltIns(OpenApiDocument document, RouteTable table, RouterSettings settings)
    {
        if (settings.PublishKeys)
        {
            AddBuiltIn(document, table, PublishedKeys.PukPath, "usrv.puk", "the server's current public key: base64 of SEC1 compressed",
                ReplyConverter.JsonContentType.Split(';')[0], new OpenApiSchema { Type = JsonSchemaType.String });
            AddBuiltIn(document, table, PublishedKeys.KeySetPath, "usrv.keys", "the server's key ring as an RFC 7517 JWK Set",
                "application/jwk-set+json", new OpenApiSchema { Type = JsonSchemaType.Object });
        }
        if (settings.PublishOpenApi)
        {
            AddBuiltIn(document, table, OpenApiEndpoint.Path, "usrv.openapi", "this document (OpenAPI 3.1)", "application/json",
                new OpenApiSchema { Type = JsonSchemaType.Object });
        }
    }

    // A built-in endpoint answers only where no binding matches its path (RoutingStage): described only then.
    private static void AddBuiltIn(OpenApiDocument document, RouteTable table, string path, string id, string description,
        string mediaType, OpenApiSchema schema)
    {
        var match = table.Find("GET", path, path[1..].Split('/'));
        if (match.Binding is not null || match.Allow is not null) return;
        document.Tags!.Add(new OpenApiTag { Name = BuiltInTag });
        document.Paths[path] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new OpenApiOperation
                {
                    OperationId = id,
                    Summary = description,
                    Tags = new HashSet<OpenApiTagReference> { new(BuiltInTag, document) },
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = description,
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                [mediaType] = new OpenApiMediaType { Schema = schema },
                            },
                        },
                    },
                },
            },
        };
    }

    /// <summary>
    /// One operationId per (binding, method), unique in the document: <c>Type.Method</c> (a lambda: <c>lambda_</c> and its path),
    /// then <c>_METHOD</c> when the handler answers several methods, then <c>_2</c>, <c>_3</c>... in bind order.
    /// </summary>
    private static Dictionary<(Binding, string), string> OperationIds(IReadOnlyList<Binding> bindings)
    {
        var bases = bindings.SelectMany(b => b.Methods.Select(m => (Binding: b, Method: m, Id: BaseId(b)))).ToList();
        var counts = bases.GroupBy(x => x.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var ids = new Dictionary<(Binding, string), string>();
        foreach (var (binding, method, id) in bases)
        {
            var candidate = counts[id] > 1 && binding.Methods.Count > 1 ? $"{id}_{method}" : id;
            var unique = candidate;
            for (int i = 2; !taken.Add(unique); i++) unique = $"{candidate}_{i}";
            ids[(binding, method)] = unique;
        }
        return ids;
    }

    private static string BaseId(Binding binding)
    {
        var method = binding.Method;
        if (method.DeclaringType is { } type && !IsCompilerGenerated(type) && !method.Name.Contains('<', StringComparison.Ordinal))
            return $"{type.Name}.{method.Name}";
        var slug = new string([.. binding.Pattern.Text.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]).Trim('_');
        return slug.Length == 0 ? "lambda" : $"lambda_{slug}";
    }

    private static bool IsCompilerGenerated(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) || type.Name.Contains('<', StringComparison.Ordinal);

    private static Type Unwrap(Type type) =>
        type.IsGenericType
            && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : type;

    private static Type Element(Type type) => type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
}
