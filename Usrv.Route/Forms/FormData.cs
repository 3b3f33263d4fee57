using System.Text.Json;
using System.Text.Json.Serialization;

namespace Usrv.Route;

/// <summary>
/// A <c>multipart/form-data</c> body (RFC 7578): text fields, JSON parts and files, in order.
/// Build one to send (<see cref="ToContent"/>), or read one from a body (<see cref="ReadAsync"/>; a handler gets
/// it as <c>data</c> or as a <see cref="FormData"/> parameter). Disposing deletes the temporary files of large parts.
/// </summary>
/// <example><code>
/// using var form = new FormData()
///     .Add("title", "holiday")
///     .AddJson("meta", new { tags = new[] { "sea" } })
///     .AddFile("photo", "beach.jpg", "image/jpeg");
/// </code></example>
[JsonConverter(typeof(FormDataJsonConverter))]
public sealed class FormData : IDisposable, IAsyncDisposable
{
    private readonly List<FormPart> _parts = [];

    /// <summary>The parts in order.</summary>
    public IReadOnlyList<FormPart> Parts => _parts;

    /// <summary>The text of the first part named <paramref name="name"/>, or <c>null</c>.</summary>
    public string? this[string name] => Get(name)?.Text;

    /// <summary>The first part named <paramref name="name"/>, or <c>null</c>.</summary>
    public FormPart? Get(string name) => _parts.FirstOrDefault(p => p.Name == name);

    /// <summary>Every part named <paramref name="name"/>, in order.</summary>
    public IEnumerable<FormPart> GetAll(string name) => _parts.Where(p => p.Name == name);

    /// <summary>The file parts.</summary>
    public IEnumerable<FormPart> Files => _parts.Where(p => p.IsFile);

    /// <summary>Adds a text field.</summary>
    public FormData Add(string name, string value) => AddPart(FormPart.Field(name, value));

    /// <summary>
    /// Adds a part holding <paramref name="value"/> as JSON (<c>application/json</c>), serialised with
    /// <see cref="UsrvJson.Options"/>.
    /// </summary>
    public FormData AddJson<T>(string name, T value)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, UsrvJson.Options);
        return AddPart(new FormPart(name, null, "application/json", json, null, null, false));
    }

    /// <summary>Adds a file read from <paramref name="path"/> when sent (never loaded whole into memory).</summary>
    /// <param name="name">Field name.</param>
    /// <param name="path">The file; its name is sent as the file name unless <paramref name="fileName"/> is given.</param>
    /// <param name="contentType">Media type; <c>application/octet-stream</c> when <c>null</c>.</param>
    /// <param name="fileName">File name to send.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public FormData AddFile(string name, string path, string? contentType = null, string? fileName = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"cannot add '{path}' to the form: no such file", path);
        var sentName = fileName ?? Path.GetFileName(path);
        return AddPart(new FormPart(name, sentName, contentType ?? "application/octet-stream", null, Path.GetFullPath(path), null, false));
    }

    /// <summary>Adds a file from a stream, read once when sent; the caller keeps ownership of the stream.</summary>
    public FormData AddFile(string name, Stream content, string fileName, string? contentType = null) =>
        AddPart(new FormPart(name, fileName, contentType ?? "application/octet-stream", null, null, content, false));

    /// <summary>Adds a file from bytes.</summary>
    public FormData AddFile(string name, byte[] content, string fileName, string? contentType = null) =>
        AddPart(new FormPart(name, fileName, contentType ?? "application/octet-stream", content, null, null, false));

    // Appends a part built in this assembly: by the builders above, or by MultipartFormReader.
    internal FormData AddPart(FormPart part)
    {
        _parts.Add(part);
        return this;
    }

    /// <summary>
    /// The body to send (RFC 7578), in the form usrv 0.4.3's <c>FormData.decode</c> reads too: a boundary of 32 lowercase
    /// hex digits, carried by the <c>Content-Type</c>; <c>Content-Disposition: form-data; name="..."</c> with quoted names
    /// and file names (<c>"</c>, CR, LF sent as <c>%22</c>, <c>%0D</c>, <c>%0A</c>, WHATWG HTML); no CRLF after the close
    /// delimiter. Files and streams are read as the content is sent.
    /// </summary>
    public HttpContent ToContent() => MultipartFormWriter.ToContent(this);

    /// <summary>Encodes the form to bytes with its <c>Content-Type</c> (for sealing, which needs the whole body).</summary>
    public Task<(byte[] Body, string ContentType)> EncodeAsync(CancellationToken cancellationToken = default) =>
        MultipartFormWriter.EncodeAsync(this, cancellationToken);

    /// <summary>True when <paramref name="contentType"/> is <c>multipart/form-data</c> (RFC 7578 section 4), parameters aside.</summary>
    public static bool IsMultipart(string? contentType) => MultipartFormReader.IsMultipart(contentType);

    /// <summary>
    /// Reads a multipart body with ASP.NET Core's <see cref="Microsoft.AspNetCore.WebUtilities.MultipartReader"/>, within
    /// <paramref name="limits"/>: at most <see cref="MultipartLimits.MaxParts"/> parts, each at most
    /// <see cref="MultipartLimits.MaxPartBytes"/>, the whole body at most <see cref="MultipartLimits.MaxTotalBytes"/>.
    /// Parts over <see cref="MultipartLimits.MemoryThresholdBytes"/> go to temporary files that <see cref="Dispose"/> deletes.
    /// </summary>
    /// <param name="body">The body stream.</param>
    /// <param name="contentType">The body's <c>Content-Type</c>, with its <c>boundary</c>.</param>
    /// <param name="limits">Part count and size limits.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ProblemException">400 for a missing boundary or a malformed body; 413 beyond a limit.</exception>
    public static Task<FormData> ReadAsync(
        Stream body, string? contentType, MultipartLimits limits, CancellationToken cancellationToken = default) =>
        MultipartFormReader.ReadAsync(body, contentType, limits, cancellationToken);

    /// <summary>Deletes the temporary files of large parts read by <see cref="ReadAsync"/>.</summary>
    public void Dispose()
    {
        foreach (var part in _parts)
        {
            if (part.IsTemporaryFile && part.FilePath is { } path)
            {
                try { File.Delete(path); } catch (IOException) { /* still open by a reader: the OS temp cleaner takes it */ }
            }
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
