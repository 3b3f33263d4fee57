using System.Text.Json;
using Usrv.Route;

namespace Usrv.Plugins.Tests;

/// <summary>JSON answers with the member names exactly as written (third-party APIs are not camelCase throughout).</summary>
public static class WireJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON reply: <paramref name="value"/> serialised with its names as written.</summary>
    public static Reply Json(int status, object? value) =>
        Reply.Bytes(status, JsonSerializer.SerializeToUtf8Bytes(value, Options), "application/json; charset=utf-8");
}
