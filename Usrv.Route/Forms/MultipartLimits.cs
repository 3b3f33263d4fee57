namespace Usrv.Route;

/// <summary>
/// Limits on <c>multipart/form-data</c> request bodies (RFC 7578); beyond any of them the answer is 413.
/// Parts larger than <see cref="MemoryThresholdBytes"/> are written to temporary files, deleted when the request ends,
/// so an upload never sits whole in memory.
/// </summary>
public sealed class MultipartLimits
{
    /// <summary>Most parts per body (256 by default).</summary>
    public int MaxParts { get; set; } = 256;

    /// <summary>Largest part, in bytes (64 MiB by default).</summary>
    public long MaxPartBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Largest whole body, in bytes (128 MiB by default); replaces <see cref="RouterOptions.MaxRequestBodyBytes"/> for
    /// multipart bodies.
    /// </summary>
    public long MaxTotalBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Parts up to this size, in bytes, stay in memory (64 KiB by default); larger ones go to a temporary file.</summary>
    public int MemoryThresholdBytes { get; set; } = 64 * 1024;

    /// <summary>Folder for the temporary files of large parts (the system temp folder by default).</summary>
    public string TempFolder { get; set; } = Path.GetTempPath();

    /// <summary>Largest header block per part, in bytes (16 KiB, as ASP.NET Core's <c>MultipartReader</c>).</summary>
    public int MaxPartHeaderBytes { get; set; } = 16 * 1024;
}
