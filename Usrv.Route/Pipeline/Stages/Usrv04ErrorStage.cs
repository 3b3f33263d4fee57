using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Usrv.Route;

/// <summary>
/// Under <see cref="RouterOptions.Usrv04Compatible"/>, rewrites every plain problem-details answer (RFC 9457,
/// <c>application/problem+json</c>) into usrv 0.4.3's error shape, <c>application/json</c>
/// <c>{"code": status, "message": title, "explain": detail}</c>, with the same status and headers: the fields of the
/// page usrv 0.4.3's server sends through Python's <c>BaseHTTPRequestHandler.send_error(code, message, explain)</c>
/// (micro-server, <c>usrv/route.py</c>, <c>uHTTPRequestHandler.do_</c>). usrv 0.4.3's client decodes JSON whatever the
/// status but has no decoder for <c>application/problem+json</c>. Signed answers (<c>Sender-Signature</c>: a sealed
/// call's) are left untouched, since their body is not the plaintext. Added to the chain only when the option is on, just
/// inside the access log, so that every refusal of every later stage passes it.
/// </summary>
internal sealed class Usrv04ErrorStage : IUsrvStage
{
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public ValueTask<UsrvResponse> InvokeAsync(UsrvRequest request, UsrvRequestHandler next)
    {
        var pending = next(request);
        return pending.IsCompletedSuccessfully ? new ValueTask<UsrvResponse>(Rewrite(pending.Result)) : AwaitAsync(pending);
    }

    private static async ValueTask<UsrvResponse> AwaitAsync(ValueTask<UsrvResponse> pending) =>
        Rewrite(await pending.ConfigureAwait(false));

    /// <summary><paramref name="response"/> in usrv 0.4.3's error shape when it is plain problem details; else itself.</summary>
    internal static UsrvResponse Rewrite(UsrvResponse response)
    {
        if (response.Status < 400 || response.BodyStream is not null || response.BodyWriter is not null
            || !string.Equals(response.ContentType, ProblemDetails.ContentType, StringComparison.OrdinalIgnoreCase)
            || IsSigned(response))
        {
            return response;
        }
        string? title = null, detail = null;
        try
        {
            using var problem = JsonDocument.Parse(response.Body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                title = Text(problem.RootElement, "title");
                detail = Text(problem.RootElement, "detail");
            }
        }
        catch (JsonException)
        {
            // not JSON after all: the status alone says it
        }
        title ??= ProblemDetails.Title(response.Status);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, Writer))
        {
            json.WriteStartObject();
            json.WriteNumber("code", response.Status);
            json.WriteString("message", title);
            json.WriteString("explain", detail ?? title);
            json.WriteEndObject();
        }
        return new UsrvResponse(response.Status, ReplyConverter.JsonContentType, buffer.WrittenMemory) { Headers = response.Headers };
    }

    private static string? Text(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsSigned(UsrvResponse response)
    {
        foreach (var (name, _) in response.Headers)
        {
            if (name.Equals("Sender-Signature", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
