using System.Text;

namespace Usrv.Route;

/// <summary>
/// One part of a <see cref="FormData"/> (RFC 7578 section 4.2): a field <see cref="Name"/>, an optional
/// <see cref="FileName"/>, a <see cref="ContentType"/> and content held in memory, in a file or in a caller's stream.
/// </summary>
public sealed class FormPart
{
    private readonly byte[]? _bytes;
    private readonly string? _path;
    private readonly Stream? _stream;

    internal FormPart(string name, string? fileName, string? contentType, byte[]? bytes, string? path, Stream? stream, bool temporary)
    {
        Name = name;
        FileName = fileName;
        ContentType = contentType;
        _bytes = bytes;
        _path = path;
        _stream = stream;
        IsTemporaryFile = temporary;
    }

    /// <summary>The field name (<c>Content-Disposition: form-data; name=...</c>).</summary>
    public string Name { get; }

    /// <summary>The file name sent with a file part, or <c>null</c> for a plain field.</summary>
    public string? FileName { get; }

    /// <summary>The part's media type, or <c>null</c> (RFC 7578: <c>text/plain</c> is then implied).</summary>
    public string? ContentType { get; }

    /// <summary>True for a file part (it has a <see cref="FileName"/>).</summary>
    public bool IsFile => FileName is not null;

    /// <summary>True when the content is in memory (small parts, text and JSON fields).</summary>
    public bool IsInMemory => _bytes is not null;

    /// <summary>The content length in bytes, or -1 for a caller's stream that cannot tell.</summary>
    public long Length =>
        _bytes?.Length ?? (_path is not null ? new FileInfo(_path).Length : _stream!.CanSeek ? _stream.Length - _stream.Position : -1);

    internal bool IsTemporaryFile { get; }

    internal string? FilePath => _path;

    internal Stream? CallerStream => _stream;

    internal byte[]? Bytes => _bytes;

    /// <summary>The content as text (UTF-8, or the part's charset) — for fields; reads a file part whole.</summary>
    public string Text => RequestBody.DecodeText(_bytes ?? ReadAllBytes(), ContentType);

    /// <summary>
    /// Opens the content for reading. The caller disposes the stream. A caller's stream is returned as it is (read once).
    /// </summary>
    public Stream OpenRead() =>
        _bytes is not null ? new MemoryStream(_bytes, writable: false)
        : _path is not null ? new FileStream(
            _path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920,
            FileOptions.Asynchronous | FileOptions.SequentialScan)
        : _stream!;

    /// <summary>The content as bytes (a copy for files: mind the size).</summary>
    public byte[] ReadAllBytes()
    {
        if (_bytes is not null) return _bytes;
        using var source = OpenRead();
        var copy = new MemoryStream();
        source.CopyTo(copy);
        return copy.ToArray();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        IsFile ? $"{Name}: file '{FileName}' ({ContentType}, {Length} bytes)" : $"{Name}: {ContentType ?? "text"} ({Length} bytes)";

    internal static FormPart Field(string name, string value, string? contentType = null) =>
        new(name, null, contentType, Encoding.UTF8.GetBytes(value), null, null, false);
}
