using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Usrv.Route;

/// <summary>
/// Parses a <c>multipart/form-data</c> body (RFC 7578) into a <see cref="FormData"/> with ASP.NET Core's
/// <see cref="MultipartReader"/>, within <see cref="MultipartLimits"/>: small parts in memory, large ones spilled to
/// owner-only temporary files that the form deletes when disposed. Every refusal is a <see cref="ProblemException"/>.
/// </summary>
internal static class MultipartFormReader
{
    /// <summary>True when <paramref name="contentType"/> is <c>multipart/form-data</c>, parameters aside.</summary>
    public static bool IsMultipart(string? contentType) =>
        contentType is not null && contentType.TrimStart().StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads every part of <paramref name="body"/>; on any failure the parts read so far are disposed.</summary>
    /// <exception cref="ProblemException">
    /// 400 for a boundary that is missing or not 1 to 70 characters (RFC 2046 section 5.1.1), a part without
    /// <c>Content-Disposition: form-data</c> or without a non-empty <c>name</c> in it (RFC 7578 section 4.2), or a
    /// malformed or truncated body;
    /// 413 beyond <see cref="MultipartLimits.MaxParts"/>, <see cref="MultipartLimits.MaxPartBytes"/>,
    /// <see cref="MultipartLimits.MaxPartHeaderBytes"/> or <see cref="MultipartLimits.MaxTotalBytes"/>.
    /// </exception>
    public static async Task<FormData> ReadAsync(
        Stream body, string? contentType, MultipartLimits limits, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
        {
            throw new ProblemException(
                400, "multipart/form-data body without a valid boundary parameter (RFC 2046 section 5.1.1: 1 to 70 characters)");
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
                if (form.Parts.Count >= limits.MaxParts)
                    throw new ProblemException(413, $"the multipart body has more than {limits.MaxParts} parts");
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ProblemException(
                        400, "a multipart part has no 'Content-Disposition: form-data; name=...' header (RFC 7578 section 4.2)");
                }
                if (HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                {
                    throw new ProblemException(
                        400, "a multipart part has no name, or an empty one, in its Content-Disposition (RFC 7578 section 4.2)");
                }
                // %22, %0D, %0A in quoted names stand for '"', CR, LF (WHATWG HTML; what MultipartFormWriter sends)
                var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value
                    : disposition.FileName.HasValue
                        ? MultipartFormWriter.Unescape(HeaderUtilities.RemoveQuotes(disposition.FileName).Value!)
                        : null;
                var part = await ReadPartAsync(section, MultipartFormWriter.Unescape(name), fileName, limits, cancellationToken)
                    .ConfigureAwait(false);
                form.AddPart(part);
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

    // One part: kept in memory up to MemoryThresholdBytes, else spilled whole to a temporary file.
    private static async Task<FormPart> ReadPartAsync(
        MultipartSection section, string name, string? fileName, MultipartLimits limits, CancellationToken cancellationToken)
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
}
