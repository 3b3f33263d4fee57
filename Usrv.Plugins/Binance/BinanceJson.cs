using System.Text.Json;
using Usrv.Route.Client;

namespace Usrv.Plugins.Binance;

/// <summary>JSON settings and error reading for Binance's wire format.</summary>
internal static class BinanceJson
{
    /// <summary>Web defaults: camelCase, case-insensitive, numbers read from strings (Binance sends decimals as strings).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Reads a 2xx JSON answer into <typeparamref name="T"/>.</summary>
    /// <exception cref="BinanceException">The answer is not 2xx.</exception>
    public static T Read<T>(PeerCall call, PeerResponse response)
    {
        EnsureSuccess(call, response);
        return JsonSerializer.Deserialize<T>(response.Body, Options)
            ?? throw new JsonException($"Binance {call.Method} {Path(call)} answered {response.Status} with an empty JSON body");
    }

    /// <summary>Throws <see cref="BinanceException"/> for an answer outside 2xx.</summary>
    public static void EnsureSuccess((PeerCall Call, PeerResponse Response) exchange) => EnsureSuccess(exchange.Call, exchange.Response);

    /// <summary>
    /// Throws <see cref="BinanceException"/> for an answer outside 2xx, its body read by <see cref="ErrorBody"/>:
    /// Binance's <c>{"code", "msg"}</c> when the body is that JSON, else code 0 and the body's text (or the reason phrase).
    /// </summary>
    public static void EnsureSuccess(PeerCall call, PeerResponse response)
    {
        if (response.IsSuccess) return;
        var answer = ErrorBody.Read(response);
        if (answer.Json is { ValueKind: JsonValueKind.Object } root
            && root.TryGetProperty("code", out var code) && code.TryGetInt32(out var number)
            && root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String)
        {
            throw new BinanceException(call.Method.Method, Path(call), answer.Status, number, msg.GetString()!, answer.Body);
        }
        var text = answer.Text ?? Usrv.Route.ProblemDetails.Title(answer.Status);
        throw new BinanceException(call.Method.Method, Path(call), answer.Status, 0, text, answer.Body);
    }

    private static string Path(PeerCall call) => call.Path.Split('?')[0];
}
