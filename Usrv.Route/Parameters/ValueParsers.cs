using System.Globalization;
using System.Reflection;

namespace Usrv.Route;

/// <summary>Converts one text value (a query value or a path segment) to a parameter's type.</summary>
/// <returns>False when the text is not a valid value of the type.</returns>
public delegate bool ValueParser(string text, out object? value);

/// <summary>
/// Builds, at bind time, the <see cref="ValueParser"/> for a parameter type: <see cref="string"/> as is,
/// <see cref="bool"/> (<c>true/false/1/0</c>), enums by name or number, and any <see cref="IParsable{TSelf}"/>
/// type (int, long, double, decimal, Guid, DateTime, ... and your own), all with the invariant culture.
/// </summary>
public static class ValueParsers
{
    private static readonly MethodInfo ParsableMethod =
        typeof(ValueParsers).GetMethod(nameof(ParseParsable), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo EnumMethod =
        typeof(ValueParsers).GetMethod(nameof(ParseEnum), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Parses <c>true</c>, <c>false</c> (any case), <c>1</c> or <c>0</c>.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        if (bool.TryParse(text, out value)) return true;
        if (text == "1") { value = true; return true; }
        if (text == "0") { value = false; return true; }
        return false;
    }

    /// <summary>
    /// The parser for <paramref name="type"/> (<see cref="Nullable{T}"/> unwrapped), or <c>null</c> when text cannot become one.
    /// </summary>
    public static ValueParser? For(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(object)) return static (string s, out object? v) => { v = s; return true; };
        if (type == typeof(bool))
        {
            return static (string s, out object? v) =>
            {
                var ok = TryParseBool(s, out var b);
                v = ok ? b : null;
                return ok;
            };
        }
        if (type.IsEnum) return EnumMethod.MakeGenericMethod(type).CreateDelegate<ValueParser>();
        if (IsParsable(type)) return ParsableMethod.MakeGenericMethod(type).CreateDelegate<ValueParser>();
        return null;
    }

    private static bool IsParsable(Type type) =>
        type.GetInterfaces().Any(i =>
            i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IParsable<>) && i.GetGenericArguments()[0] == type);

    private static bool ParseParsable<T>(string text, out object? value) where T : IParsable<T>
    {
        if (T.TryParse(text, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }
        value = null;
        return false;
    }

    private static bool ParseEnum<T>(string text, out object? value) where T : struct, Enum
    {
        if (Enum.TryParse<T>(text, ignoreCase: true, out var parsed)
            && (Enum.IsDefined(parsed) || char.IsAsciiDigit(text[0]) || text[0] == '-'))
        {
            value = parsed;
            return true;
        }
        value = null;
        return false;
    }
}
