using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Usrv.Route;

/// <summary>
/// A <c>multipart/form-data</c> body (RFC 7578): text fields, JSON parts and files.
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
    public FormData Add(string name, string value)
    {
        _parts.Add(FormPart.Field(name, value));
        return this;
    }

    /// <summary>Adds a part holding <paramref name="value"/> as JSON (<c>application/json</c>), serialised with <see cref="UsrvJson.Options"/>.</summary>
    public FormData AddJson<T>(string name, T value)
    {
        _parts.Add(new FormPart(name, null, "application/json", JsonSerializer.SerializeToUtf8Bytes(value, UsrvJson.Options), null, null, false));
        return this;
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
        _parts.Add(new FormPart(name, fileName ?? Path.GetFileName(path), contentType ?? "application/octet-stream", null, Path.GetFullPath(path), null, false));
        return this;
    }

    /// <summary>Adds a file from a stream, read once when sent; the caller keeps ownership of the stream.</summary>
    public FormData AddFile(string name, Stream content, string fileName, string? contentType = null)
    {
        _parts.Add(new FormPart(name, fileName, contentType ?? "application/octet-stream", null, null, content, false));
        return this;
    }

    /// <summary>Adds a file from bytes.</summary>
    public FormData AddFile(string name, byte[] content, string fileName, string? contentType = null)
    {
        _parts.Add(new FormPart(name, fileName, contentType ?? "application/octet-stream", content, null, null, false));
        return this;
    }

    /// <summary>
    /// The body to send, encoded by <see cref="MultipartFormDataContent"/> (System.Net.Http): its <c>Content-Type</c>
    /// carries the boundary. Files and streams are read as the content is sent.
    /// </summary>
    public MultipartFormDataContent ToContent()
    {
        var content = new MultipartFormDataContent();
        foreach (var part in _parts)
        {
            HttpContent body = part.Bytes is { } bytes ? new ByteArrayContent(bytes)
                : part.FilePath is { } path ? new StreamContent(part.OpenRead())
                : new StreamContent(new NonClosingStream(part.CallerStream!)); // the caller keeps its stream
            if (part.ContentType is not null) body.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(part.ContentType);
            if (part.FileName is null) content.Add(body, part.Name);
            else content.Add(body, part.Name, part.FileName);
        }
        return content;
    }

    /// <summary>Encodes the form to bytes with its <c>Content-Type</c> (for sealing, which needs the whole body).</summary>
    public async Task<(byte[] Body, string ContentType)> EncodeAsync(CancellationToken cancellationToken = default)
    {
        using var content = ToContent();
        var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return (body, content.Headers.ContentType!.ToString());
    }

    /// <summary>True when <paramref name="contentType"/> is <c>multipart/form-data</c>.</summary>
    public static bool IsMultipart(string? contentType) =>
        contentType is not null && contentType.TrimStart().StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads a multipart body with ASP.NET Core's <see cref="MultipartReader"/>, within <paramref name="limits"/>.
    /// Parts over <see cref="MultipartLimits.MemoryThresholdBytes"/> go to temporary files that <see cref="Dispose"/> deletes.
    /// </summary>
    /// <param name="body">The body stream.</param>
    /// <param name="contentType">The body's <c>Content-Type</c>, with its <c>boundary</c>.</param>
    /// <param name="limits">Part count and size limits.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ProblemException">400 for a missing boundary or a malformed body; 413 beyond a limit.</exception>
    public static async Task<FormData> ReadAsync(Stream body, string? contentType, MultipartLimits limits, CancellationToken cancellationToken = default)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
            || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
        {
            throw new ProblemException(400, "multipart/form-data body without a valid boundary parameter (RFC 2046 section 5.1.1: 1 to 70 characters)");
        }
        var form = new FormData();
        try
        {
            var counted = new LimitedReadStream(body, limits.MaxTotalBytes);
            var reader = new MultipartReader(boundary, counted)
            {
                BodyLengthLimit = limits.MaxPartBytes,
                HeadersLengthLimit = limits.MaxPartHeaderBytes,
            };
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (form._parts.Count >= limits.MaxParts)
                    throw new ProblemException(413, $"the multipart body has more than {limits.MaxParts} parts");
                if (!Microsoft.Net.Http.Headers.ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    throw new ProblemException(400, "a multipart part has no 'Content-Disposition: form-data; name=...' header (RFC 7578 section 4.2)");
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value
                    : disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value
                    : null;
                form._parts.Add(await ReadPartAsync(section, name, fileName, limits, cancellationToken).ConfigureAwait(false));
            }
            return form;
        }
        catch (InvalidDataException e)
        {
            await form.DisposeAsync().ConfigureAwait(false);
            var tooLarge = e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase);
            throw new ProblemException(tooLarge ? 413 : 400, tooLarge
                ? $"a multipart part is over a limit: {e.Message}"
                : $"malformed multipart body: {e.Message}");
        }
        catch (IOException e) when (e.Message.StartsWith("Unexpected end", StringComparison.Ordinal))
        {
            await form.DisposeAsync().ConfigureAwait(false);
            throw new ProblemException(400, "malformed multipart body: it ends before its closing boundary");
        }
        catch
        {
            await form.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<FormPart> ReadPartAsync(MultipartSection section, string name, string? fileName, MultipartLimits limits, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(81920, limits.MemoryThresholdBytes + 1)];
        var memory = new MemoryStream();
        int read;
        while (memory.Length <= limits.MemoryThresholdBytes
            && (read = await section.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            memory.Write(buffer, 0, read);
        }
        if (memory.Length <= limits.MemoryThresholdBytes)
        {
            return new FormPart(name, fileName, section.ContentType, memory.ToArray(), null, null, false);
        }
        // Large part: spill to a temporary file, owner-only, deleted when the form is disposed.
        var path = Path.Combine(limits.TempFolder, "usrv-part-" + Guid.NewGuid().ToString("N"));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            await using var file = new FileStream(path, options);
            memory.Position = 0;
            await memory.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            await section.Body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return new FormPart(name, fileName, section.ContentType, null, path, null, true);
    }

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

    /// <summary>Counts bytes read and refuses more than a limit (413): the whole-body limit of multipart uploads.</summary>
    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _total;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _total += read;
            if (_total > limit) throw BodyProblems.MultipartTooLarge(limit);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = inner.Read(buffer, offset, count);
            _total += read;
            if (_total > limit) throw BodyProblems.MultipartTooLarge(limit);
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _total; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// Writes a <see cref="FormData"/> as JSON (for replies that echo one): each field's text by name, and for a file
/// part <c>{"fileName", "contentType", "length"}</c>. Reading JSON into a FormData is not supported.
/// </summary>
public sealed class FormDataJsonConverter : JsonConverter<FormData>
{
    /// <inheritdoc/>
    public override FormData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("a FormData is read from a multipart body, not from JSON");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, FormData value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var part in value.Parts)
        {
            writer.WritePropertyName(part.Name);
            if (part.IsFile)
            {
                writer.WriteStartObject();
                writer.WriteString("fileName", part.FileName);
                writer.WriteString("contentType", part.ContentType);
                writer.WriteNumber("length", part.Length);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStringValue(part.Text);
            }
        }
        writer.WriteEndObject();
    }
}

/// <summary>Passes reads through and ignores disposal: <see cref="StreamContent"/> disposes its stream, which belongs to the caller.</summary>
internal sealed class NonClosingStream(Stream inner) : Stream
{
    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing) { /* not ours to close */ }
}
