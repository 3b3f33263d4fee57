using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Usrv.Route.Client;

namespace Usrv.Plugins.Pinata;

/// <summary>JSON settings and error reading for Pinata's wire format.</summary>
internal static class PinataJson
{
    /// <summary>Web defaults (camelCase, case-insensitive reading), null members left out, readable non-ASCII.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Reads a 2xx JSON answer into <typeparamref name="T"/>.</summary>
    /// <exception cref="PinataException">The answer is not 2xx.</exception>
    /// <exception cref="JsonException">A 2xx answer that is not the documented JSON.</exception>
    public static T Read<T>(PeerCall call, PeerResponse response)
    {
        EnsureSuccess(call, response);
        return JsonSerializer.Deserialize<T>(response.Body, Options)
            ?? throw new JsonException($"Pinata {call.Method} {call.Path} answered {response.Status} with an empty JSON body");
    }

    /// <summary>Throws <see cref="PinataException"/> for an answer outside 2xx.</summary>
    public static void EnsureSuccess(PeerCall call, PeerResponse response)
    {
        if (response.IsSuccess) return;
        var path = call.Path.Split('?')[0];
        string reason = Usrv.Route.ProblemDetails.Title(response.Status);
        string? details = null;
        try
        {
            using var document = JsonDocument.Parse(response.Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    reason = error.GetString() ?? reason;
                }
                else if (error.ValueKind == JsonValueKind.Object)
                {
                    if (error.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String) reason = r.GetString()!;
                    if (error.TryGetProperty("details", out var d)) details = d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText();
                }
                throw new PinataException(call.Method.Method, path, response.Status, reason, details);
            }
        }
        catch (JsonException)
        {
            // not JSON: the text below
        }
        var text = Encoding.UTF8.GetString(response.Body);
        details = text.Length == 0 ? null : text.Length > 500 ? text[..500] + "..." : text;
        throw new PinataException(call.Method.Method, path, response.Status, reason, details);
    }
}
