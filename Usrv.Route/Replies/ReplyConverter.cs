using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Usrv.Route;

/// <summary>
/// Converts a handler's result into a response (usrv's reply rules; DESIGN, Replies):
/// <list type="bullet">
/// <item>
/// <c>(200, a, b)</c> answers 200 with <c>[a, b]</c>; <c>(200, x)</c> answers <c>x</c>; <c>200</c> or
/// <c>ValueTuple.Create(200)</c> answers <c>null</c>.
/// </item>
/// <item>Tuples are read through <see cref="ITuple"/>, so 8 items and more work.</item>
/// <item>A first item that is not an <c>int</c> status (100-599): 406, as usrv.</item>
/// <item>Status 400 and above: RFC 9457 problem details whose <c>detail</c> is the rest of the tuple
/// (the text itself for one string, else its JSON).</item>
/// <item>A <see cref="Reply"/> is sent as it is.</item>
/// <item>A streamed reply (<see cref="Reply.JsonArray{T}"/>, <see cref="Reply.Events{T}"/>, <see cref="Reply.FromWriter"/>,
/// or a handler returning <c>IAsyncEnumerable&lt;T&gt;</c>) gets a <see cref="UsrvResponse.BodyWriter"/>.</item>
/// </list>
/// </summary>
public static class ReplyConverter
{
    /// <summary>The content type of JSON replies.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    private static readonly byte[] JsonNull = "null"u8.ToArray();

    /// <summary>The response for <paramref name="result"/>.</summary>
    /// <param name="result">What the handler returned (awaited): a status tuple, an <c>int</c> status or a <see cref="Reply"/>.</param>
    /// <param name="json">The JSON settings of the body.</param>
    /// <returns>The answer; a 406 problem when <paramref name="result"/> carries no valid status.</returns>
    public static UsrvResponse ToResponse(object? result, JsonSerializerOptions json)
    {
        switch (result)
        {
            case Reply { Writer: { } writer } streamed:
                return StreamedBodies.Response(streamed, writer, json);
            case Reply reply:
                return new UsrvResponse(reply.Status, reply.ContentType, reply.Body) { BodyStream = reply.Stream, Headers = reply.Headers };
            case int status:
                return Status(status, null, 0, json);
            case ITuple tuple when tuple.Length > 0 && tuple[0] is int status:
                return Status(status, tuple, tuple.Length - 1, json);
            default:
                return ProblemDetails.Response(
                    406,
                    "the handler's answer has no status: return a tuple whose first item is an int status, e.g. (200, value)");
        }
    }

    private static UsrvResponse Status(int status, ITuple? tuple, int restCount, JsonSerializerOptions json)
    {
        if (status is < 100 or > 599)
        {
            return ProblemDetails.Response(406, $"the handler's answer has no valid status: {status} is not an HTTP status (100-599)");
        }
        object? payload = restCount switch
        {
            0 => null,
            1 => tuple![1],
            _ => Rest(tuple!, restCount),
        };
        if (status >= 400)
        {
            var detail = payload switch
            {
                null => null,
                string text => text,
                _ => JsonSerializer.Serialize(payload, json),
            };
            return ProblemDetails.Response(status, detail);
        }
        var body = payload is null ? JsonNull : JsonSerializer.SerializeToUtf8Bytes(payload, json);
        return new UsrvResponse(status, JsonContentType, body);
    }

    private static object?[] Rest(ITuple tuple, int count)
    {
        var rest = new object?[count];
        for (int i = 0; i < count; i++) rest[i] = tuple[i + 1];
        return rest;
    }
}
