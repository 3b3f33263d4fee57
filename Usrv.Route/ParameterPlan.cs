using System.Text.Json.Serialization.Metadata;

namespace Usrv.Route;

/// <summary>How one parameter is filled, fixed at bind time so the request path only follows it.</summary>
internal sealed record ParameterPlan
{
    public required string Name { get; init; }
    public required Type Type { get; init; }
    public required ParameterKind Kind { get; init; }

    /// <summary>Index of the path capture of the same name, or -1.</summary>
    public int CaptureIndex { get; init; } = -1;

    /// <summary>Converts query text (and path text for typed parameters); element parser for collections.</summary>
    public ValueParser? Parser { get; init; }

    /// <summary>True for <c>object</c> parameters: path captures are passed as the pattern typed them.</summary>
    public bool TakesTypedPathValue { get; init; }

    /// <summary>Builds the array or list from parsed items (collections only).</summary>
    public Func<List<object?>, object>? CollectionFactory { get; init; }

    /// <summary>The JSON contract of a <see cref="ParameterKind.JsonBody"/> parameter.</summary>
    public JsonTypeInfo? JsonType { get; init; }

    /// <summary>What a missing value becomes, when it may be missing.</summary>
    public bool HasFallback { get; init; }
    public object? Fallback { get; init; }

    /// <summary>The friendly type name used in 400 messages (<c>int</c>, <c>Guid</c>).</summary>
    public required string TypeName { get; init; }

    /// <summary>For collections, the element type's name (a single value fails to convert, not the list).</summary>
    public string? ValueTypeName { get; init; }
}
