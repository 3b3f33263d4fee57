namespace Usrv.Plugins.Pinata;

/// <summary>The <c>status</c> filter of <c>data/pinList</c> (Pinata API reference, "Query Files"): <c>all</c> by default.</summary>
public enum PinStatusFilter
{
    /// <summary><c>all</c>: pinned and unpinned records.</summary>
    All,
    /// <summary><c>pinned</c>: content currently pinned.</summary>
    Pinned,
    /// <summary><c>unpinned</c>: content that was unpinned.</summary>
    Unpinned,
}
