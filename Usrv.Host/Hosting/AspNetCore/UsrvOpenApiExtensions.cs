using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Usrv.Route;

namespace Usrv.Host.AspNetCore;

/// <summary>
/// Puts a router's bindings into ASP.NET Core's own OpenAPI document (<c>Microsoft.AspNetCore.OpenApi</c>:
/// <c>AddOpenApi</c>, <c>MapOpenApi</c>), beside the application's Minimal API and controller endpoints.
/// </summary>
/// <remarks>
/// The router's OpenAPI 3.1 document (<see cref="Router.DescribeOpenApi"/>, as its <c>GET /openapi.json</c> answers it) is
/// merged into the application's, each time ASP.NET Core builds that one:
/// <list type="bullet">
/// <item><description>
/// <c>paths</c>: every path of the router with <c>prefix</c> (the one given to <c>MapUsrv</c>) before it:
/// <c>/{b}/{a}</c> under <c>/usrv</c> is <c>/usrv/{b}/{a}</c>. Where the application describes the same path, its own
/// operations stay and the router's are added only for the methods it does not describe (the application's endpoints
/// win in ASP.NET Core's routing too).
/// </description></item>
/// <item><description>
/// <c>components.schemas</c> (the router's JSON types and <c>ProblemDetails</c>, RFC 9457) and
/// <c>components.securitySchemes</c> (<c>usrv2</c>): added under their names; a name the application's document already
/// uses for something else is taken as <c>usrv.NAME</c> (OpenAPI 3.1 section 4.8.7.1 allows the dot), and the router's
/// <c>$ref</c>s and security requirements follow the new name. A component identical to the application's is shared.
/// </description></item>
/// <item><description><c>tags</c>: the router's tags the application's document does not have.</description></item>
/// </list>
/// The application's <c>info</c>, <c>servers</c> and <c>security</c> stay as they are. The router's paths are read into the
/// application's document with Microsoft.OpenApi's reader, so its references resolve there.
/// </remarks>
/// <example><code>
/// var router = new Router().BindType(typeof(Api));
/// var builder = WebApplication.CreateBuilder(args);
/// builder.Services.AddOpenApi(options => options.AddUsrv(router, "/usrv"));
/// var app = builder.Build();
/// app.MapOpenApi();                                   // GET /openapi/v1.json: the app's paths and usrv's under /usrv
/// app.MapGet("/health", () => "ok");
/// app.MapUsrv("/usrv", router);
/// app.Run();
/// </code></example>
public static class UsrvOpenApiExtensions
{
    /// <summary>
    /// Merges <paramref name="router"/>'s bindings into the document these options describe (a document transformer).
    /// </summary>
    /// <param name="options">The options of one ASP.NET Core OpenAPI document (<c>AddOpenApi</c>).</param>
    /// <param name="router">The bindings, as mapped with <c>MapUsrv</c>.</param>
    /// <param name="prefix">
    /// The prefix given to <c>MapUsrv(prefix, router)</c>, e.g. <c>/usrv</c>, put before every path of the router;
    /// <c>""</c> (the default) for <c>MapUsrv(router)</c>.
    /// </param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <remarks>
    /// The router's document is described anew each time ASP.NET Core builds the application's (a later <c>Bind</c> shows
    /// up there too). Where Microsoft.OpenApi's reader refuses a part of it (it never should: the router writes OpenAPI
    /// 3.1 with that same library), building the application's document fails with an <see cref="InvalidOperationException"/>
    /// naming the reader's errors, and <c>MapOpenApi</c> answers 500.
    /// </remarks>
    /// <exception cref="ArgumentNullException">
    /// <paramref name="options"/>, <paramref name="router"/> or <paramref name="prefix"/> is null.
    /// </exception>
    public static OpenApiOptions AddUsrv(this OpenApiOptions options, Router router, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(prefix);
        return options.AddDocumentTransformer(new UsrvOpenApiDocumentTransformer(router, prefix));
    }
}

/// <summary>The document transformer of <see cref="UsrvOpenApiExtensions.AddUsrv"/>.</summary>
internal sealed class UsrvOpenApiDocumentTransformer(Router router, string prefix) : IOpenApiDocumentTransformer
{
    private const string SchemasRef = "#/components/schemas/";
    private const string SecuritySchemesRef = "#/components/securitySchemes/";

    /// <summary>The path prefix as <c>MapUsrv</c> matches it: <c>usrv/</c> is <c>/usrv</c>; <c>""</c> and <c>/</c> are none.</summary>
    public string Prefix { get; } = prefix.Trim('/') is { Length: > 0 } trimmed ? "/" + trimmed : "";

    /// <inheritdoc />
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        Merge(document, router.DescribeOpenApi(), Prefix);
        return Task.CompletedTask;
    }

    /// <summary>Merges <paramref name="source"/> into <paramref name="target"/>, its paths under <paramref name="prefix"/>.</summary>
    /// <exception cref="InvalidOperationException">Microsoft.OpenApi's reader refused a part of the router's document.</exception>
    public static void Merge(OpenApiDocument target, OpenApiDocument source, string prefix)
    {
        var json = ToJson(source).AsObject();
        target.Components ??= new OpenApiComponents();
        var components = json["components"] as JsonObject;
        var schemas = Names(components?["schemas"] as JsonObject,
            target.Components.Schemas?.ToDictionary(p => p.Key, p => ToJson(p.Value)));
        var schemes = Names(components?["securitySchemes"] as JsonObject,
            target.Components.SecuritySchemes?.ToDictionary(p => p.Key, p => ToJson(p.Value)));
        Rename(json, schemas, schemes);

        foreach (var (name, schema) in components?["schemas"] as JsonObject ?? [])
        {
            if (schemas[name] is { } added) target.AddComponent(added, Read<OpenApiSchema>(schema!, target));
        }
        foreach (var (name, scheme) in components?["securitySchemes"] as JsonObject ?? [])
        {
            if (schemes[name] is { } added) target.AddComponent(added, Read<OpenApiSecurityScheme>(scheme!, target));
        }
        if (target.Components.Schemas is null && target.Components.SecuritySchemes is null) target.Components = null;

        target.Paths ??= [];
        foreach (var (path, item) in json["paths"] as JsonObject ?? [])
        {
            var read = Read<OpenApiPathItem>(item!, target);
            var full = prefix + path;
            if (!target.Paths.TryGetValue(full, out var existing))
            {
                target.Paths[full] = read;
            }
            else if (existing is OpenApiPathItem own)
            {
                own.Operations ??= [];
                foreach (var (method, operation) in read.Operations ?? []) own.Operations.TryAdd(method, operation);
            }
        }

        foreach (var tag in json["tags"] as JsonArray ?? [])
        {
            var read = Read<OpenApiTag>(tag!, target);
            target.Tags ??= new HashSet<OpenApiTag>();
            if (!target.Tags.Any(t => t.Name == read.Name)) target.Tags.Add(read);
        }
    }

    /// <summary>
    /// The name each component of the router takes in the target: its own where the target has none of that name, null where
    /// the target's is the same (shared, not added), <c>usrv.NAME</c> (then <c>usrv.NAME2</c>...) where the target's differs.
    /// </summary>
    private static Dictionary<string, string?> Names(JsonObject? mine, Dictionary<string, JsonNode>? theirs)
    {
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, component) in mine ?? [])
        {
            if (theirs is null || !theirs.TryGetValue(name, out var their))
            {
                names[name] = name;
            }
            else if (JsonNode.DeepEquals(component, their))
            {
                names[name] = null;
            }
            else
            {
                var unique = "usrv." + name;
                for (int i = 2; theirs.ContainsKey(unique) || mine!.ContainsKey(unique); i++)
                    unique = string.Create(CultureInfo.InvariantCulture, $"usrv.{name}{i}");
                names[name] = unique;
            }
        }
        return names;
    }

    /// <summary>Points the router's <c>$ref</c>s and security requirements at the components' names in the target.</summary>
    private static void Rename(JsonNode? node, Dictionary<string, string?> schemas, Dictionary<string, string?> schemes)
    {
        switch (node)
        {
            case JsonObject map:
                if (map["$ref"] is JsonValue value && value.TryGetValue<string>(out var reference))
                {
                    if (reference.StartsWith(SchemasRef, StringComparison.Ordinal)
                        && schemas.TryGetValue(reference[SchemasRef.Length..], out var schema) && schema is not null)
                        map["$ref"] = SchemasRef + schema;
                    else if (reference.StartsWith(SecuritySchemesRef, StringComparison.Ordinal)
                        && schemes.TryGetValue(reference[SecuritySchemesRef.Length..], out var scheme) && scheme is not null)
                        map["$ref"] = SecuritySchemesRef + scheme;
                }
                if (map["security"] is JsonArray requirements)
                {
                    // A security requirement names schemes by their keys (OpenAPI 3.1 section 4.8.30).
                    foreach (var requirement in requirements.OfType<JsonObject>())
                    {
                        foreach (var (old, renamed) in schemes)
                        {
                            if (renamed is null || renamed == old || requirement[old] is not { } roles) continue;
                            requirement.Remove(old);
                            requirement[renamed] = roles;
                        }
                    }
                }
                foreach (var (_, child) in map.ToList()) Rename(child, schemas, schemes);
                break;
            case JsonArray list:
                foreach (var child in list) Rename(child, schemas, schemes);
                break;
        }
    }

    /// <summary>One part of a document, read with Microsoft.OpenApi's reader into <paramref name="host"/> (its references).</summary>
    private static T Read<T>(JsonNode node, OpenApiDocument host)
        where T : IOpenApiElement
    {
        var element = OpenApiModelFactory.Parse<T>(node.ToJsonString(), OpenApiSpecVersion.OpenApi3_1, host, out var diagnostic, "json");
        if (element is null || diagnostic.Errors.Count > 0)
        {
            throw new InvalidOperationException($"usrv: Microsoft.OpenApi did not read the router's {typeof(T).Name}: " +
                string.Join("; ", diagnostic.Errors.Select(e => e.Message)));
        }
        return element;
    }

    private static JsonNode ToJson(IOpenApiSerializable element)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        element.SerializeAsV31(new OpenApiJsonWriter(text));
        return JsonNode.Parse(text.ToString())!;
    }
}
