using System.Globalization;
using System.Text;
using Microsoft.OpenApi;

namespace Usrv.Route;

/// <summary>
/// The built-in <c>GET /openapi.json</c> of every router (<see cref="RouterOptions.PublishOpenApi"/>), answered like
/// <c>GET /puk</c> where no binding of the user's matches the path. The document is built on the first request after the
/// bindings last changed (never per request) and its OpenAPI 3.1 JSON bytes are kept until they change again.
/// </summary>
internal sealed class OpenApiEndpoint(RouterSettings settings, Func<RouteTable> table)
{
    /// <summary>The path of the document.</summary>
    public const string Path = "/openapi.json";

    private readonly object _buildLock = new();
    private volatile Snapshot? _current;

    /// <summary>The built-in answer for <paramref name="path"/>, or null when it is not <see cref="Path"/>.</summary>
    public UsrvResponse? Answer(string method, string path)
    {
        if (method is not ("GET" or "HEAD") || path != Path) return null;
        return new UsrvResponse(200, ReplyConverter.JsonContentType, Current().Body);
    }

    /// <summary>The serialized document of the current bindings (built when they changed since the last one).</summary>
    public Snapshot Current()
    {
        var bindings = table();
        if (_current is { } current && ReferenceEquals(current.Table, bindings)) return current;
        lock (_buildLock)
        {
            if (_current is { } built && ReferenceEquals(built.Table, bindings)) return built;
            var snapshot = new Snapshot(bindings, Serialize(OpenApiDocumentBuilder.Build(bindings, settings)));
            _current = snapshot;
            return snapshot;
        }
    }

    /// <summary>A document's OpenAPI 3.1 JSON, written by Microsoft.OpenApi's writer.</summary>
    public static byte[] Serialize(OpenApiDocument document)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var writer = new OpenApiJsonWriter(text);
        document.SerializeAsV31(writer);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The bytes of the document of one route table.</summary>
    internal sealed record Snapshot(RouteTable Table, byte[] Body);
}
