using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Usrv.Route;

/// <summary>
/// Writes RFC 9457 problem details (<c>application/problem+json</c>): <c>type</c>, <c>title</c>
/// (the status's reason phrase unless given), <c>status</c> and <c>detail</c>. Used for every answer with a status
/// of 400 or more, from the framework and from handlers alike.
/// </summary>
public static class ProblemDetails
{
    /// <summary>The media type of problem details (RFC 9457 section 3).</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>Builds a problem response.</summary>
    /// <param name="status">HTTP status (400-599 in practice).</param>
    /// <param name="detail">RFC 9457 <c>detail</c>: text for the client; <c>null</c> to leave it out.</param>
    /// <param name="headers">Extra headers (e.g. <c>Allow</c>).</param>
    /// <param name="title">RFC 9457 <c>title</c>; the reason phrase when <c>null</c>.</param>
    /// <param name="type">RFC 9457 <c>type</c>; <c>about:blank</c> when <c>null</c>.</param>
    public static UsrvResponse Response(int status, string? detail, IReadOnlyList<KeyValuePair<string, string>>? headers = null,
        string? title = null, string? type = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        var writerOptions = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var writer = new Utf8JsonWriter(buffer, writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type ?? "about:blank");
            writer.WriteString("title", title ?? Title(status));
            writer.WriteNumber("status", status);
            if (detail is not null) writer.WriteString("detail", detail);
            writer.WriteEndObject();
        }
        return new UsrvResponse(status, ContentType, buffer.WrittenMemory) { Headers = headers ?? [] };
    }

    /// <summary>The answer to <paramref name="problem"/>: its status, title (or the reason phrase), type, detail and headers.</summary>
    public static UsrvResponse Response(ProblemException problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return Response(problem.Status, problem.Detail, problem.Headers, problem.Title, problem.Type);
    }

    /// <summary>
    /// <paramref name="problem"/> answered without being thrown, for a stage's hot refusals (limits, request validation, 404,
    /// 405, sender policy): a flood of them should not cost an exception each (about 2.5 us).
    /// </summary>
    public static ValueTask<UsrvResponse> Answer(ProblemException problem) => new(Response(problem));

    /// <summary>The reason phrase of <paramref name="status"/> (RFC 9110 section 15), e.g. <c>Not Found</c>.</summary>
    public static string Title(int status)
    {
        var phrase = ReasonPhrases.GetReasonPhrase(status);
        return phrase.Length > 0 ? phrase : status >= 500 ? "Server Error" : "Client Error";
    }
}
