using System.Reflection;

namespace Usrv.Route;

/// <summary>Names of types and handlers as messages show them (<c>int?</c>, <c>List&lt;string&gt;</c>, <c>Api.Test</c>).</summary>
internal static class TypeNames
{
    /// <summary>A handler as <c>Namespace.Type.Method</c> (a lambda's compiler-generated method by its own name).</summary>
    public static string Handler(MethodInfo method) =>
        method.DeclaringType is { } declaring ? $"{declaring.FullName}.{method.Name}" : method.Name;

    /// <summary>A type as C# writes it.</summary>
    public static string Friendly(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return Friendly(inner) + "?";
        if (type.IsEnum) return type.Name;
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 => "int", TypeCode.Int64 => "long", TypeCode.Double => "double", TypeCode.Single => "float",
            TypeCode.Boolean => "bool", TypeCode.String => "string", TypeCode.Decimal => "decimal", TypeCode.Int16 => "short",
            TypeCode.Byte => "byte", TypeCode.UInt32 => "uint", TypeCode.UInt64 => "ulong", TypeCode.Char => "char",
            _ => type == typeof(object) ? "object"
                : type.IsArray ? Friendly(type.GetElementType()!) + "[]"
                : type.IsGenericType ? $"{GenericBaseName(type)}<{string.Join(", ", type.GetGenericArguments().Select(Friendly))}>"
                : type.Name,
        };
    }

    // A type nested in a generic class is generic but its own name may carry no backtick.
    private static string GenericBaseName(Type type)
    {
        int tick = type.Name.IndexOf('`');
        return tick < 0 ? type.Name : type.Name[..tick];
    }
}
