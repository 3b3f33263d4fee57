using System.Text;
using System.Text.Json;
using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>Calls a router in-process, the way a host does, and reads the JSON answer.</summary>
internal static class TestRequests
{
    public static Task<UsrvResponse> Get(this Router router, string target) => router.Send("GET", target);

    public static async Task<UsrvResponse> Send(this Router router, string method, string target, string? body = null, string? contentType = null, params (string, string)[] headers)
    {
        var all = headers.Select(h => new KeyValuePair<string, string>(h.Item1, h.Item2)).ToList();
        if (contentType is not null) all.Add(new("Content-Type", contentType));
        var bytes = body is null ? null : Encoding.UTF8.GetBytes(body);
        var request = new UsrvRequest(method, target, RequestHeaders.From(all), bytes is null ? null : new MemoryStream(bytes))
        {
            ContentLength = bytes?.Length ?? 0,
        };
        return await router.HandleAsync(request);
    }

    public static JsonElement Json(this UsrvResponse response) => JsonDocument.Parse(response.Body).RootElement;

    public static string Detail(this UsrvResponse response) => response.Json().GetProperty("detail").GetString()!;
}
