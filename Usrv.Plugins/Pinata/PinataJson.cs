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

    /// <summary>
    /// Throws <see cref="PinataException"/> for an answer outside 2xx, its body read by <see cref="ErrorBody"/>:
    /// Pinata's <c>{"error": ...}</c> when the body is that JSON, else the reason phrase and the body's text.
    /// </summary>
    public static void EnsureSuccess(PeerCall call, PeerResponse response)
    {
        if (response.IsSuccess) return;
        var answer = ErrorBody.Read(response);
        // The reason phrase, not a problem title: a body that is not Pinata's JSON is not Pinata's word.
        string reason = Usrv.Route.ProblemDetails.Title(answer.Status);
        string? details = answer.Text;
        if (answer.Json is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("error", out var error))
        {
            details = null;
            if (error.ValueKind == JsonValueKind.String)
            {
                reason = error.GetString() ?? reason;
            }
            else if (error.ValueKind == JsonValueKind.Object)
            {
                if (error.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String) reason = r.GetString()!;
                if (error.TryGetProperty("details", out var d))
                    details = d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText();
            }
        }
        throw new PinataException(call.Method.Method, call.Path.Split('?')[0], answer.Status, reason, details, answer.Body);
    }
}
