using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Usrv.Route;

/// <summary>
/// Compiles, at bind time, a delegate that calls a handler with an argument array and yields its
/// result as <c>ValueTask&lt;object?&gt;</c> (awaiting <see cref="Task{T}"/> and <see cref="ValueTask{T}"/> results),
/// and refuses return types that can never carry a status (DESIGN, Replies).
/// </summary>
internal static class HandlerInvoker
{
    private static readonly MethodInfo FromTaskMethod =
        typeof(HandlerInvoker).GetMethod(nameof(FromTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo FromValueTaskMethod =
        typeof(HandlerInvoker).GetMethod(nameof(FromValueTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo JsonArrayOfMethod =
        typeof(StreamedBodies).GetMethod(nameof(StreamedBodies.JsonArrayOf), BindingFlags.Public | BindingFlags.Static)!;
    private static readonly MethodInfo EventsOfMethod =
        typeof(StreamedBodies).GetMethod(nameof(StreamedBodies.EventsOf), BindingFlags.Public | BindingFlags.Static)!;
    private static readonly ConstructorInfo ValueTaskOfObject = typeof(ValueTask<object?>).GetConstructor([typeof(object)])!;

    /// <summary>Builds the invoker of <paramref name="method"/> on <paramref name="target"/> (<c>null</c> for static methods).</summary>
    /// <exception cref="BindingException">The return type cannot carry a status.</exception>
    public static Func<object?[], ValueTask<object?>> Create(MethodInfo method, object? target)
    {
        CheckReturnType(method);
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = method.GetParameters();
        var call = Expression.Call(
            method.IsStatic ? null : Expression.Constant(target, method.DeclaringType!),
            method,
            parameters.Select((p, i) =>
                (Expression)Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), p.ParameterType)));

        var returnType = method.ReturnType;
        Expression body;
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            body = Expression.Call(FromTaskMethod.MakeGenericMethod(returnType.GetGenericArguments()[0]), call);
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            body = Expression.Call(FromValueTaskMethod.MakeGenericMethod(returnType.GetGenericArguments()[0]), call);
        }
        else if (StreamedItemType(returnType) is { } itemType)
        {
            // Streamed replies (DESIGN, Replies): the shape is chosen here, once; the call returns a Reply with a body writer.
            var stream = SseDataType(itemType) is { } dataType
                ? Expression.Call(EventsOfMethod.MakeGenericMethod(dataType),
                    Expression.Convert(call, typeof(IAsyncEnumerable<>).MakeGenericType(itemType)))
                : Expression.Call(JsonArrayOfMethod.MakeGenericMethod(itemType),
                    Expression.Convert(call, typeof(IAsyncEnumerable<>).MakeGenericType(itemType)));
            body = Expression.New(ValueTaskOfObject, Expression.Convert(stream, typeof(object)));
        }
        else
        {
            body = Expression.New(ValueTaskOfObject, Expression.Convert(call, typeof(object)));
        }
        return Expression.Lambda<Func<object?[], ValueTask<object?>>>(body, arguments).Compile();
    }

    /// <summary>
    /// A return type carries a status when it is <c>int</c>, a tuple whose first item is <c>int</c>,
    /// <see cref="Reply"/>, or a type that may hold any of them at run time (<c>object</c>, <see cref="ITuple"/>).
    /// </summary>
    private static void CheckReturnType(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type.IsGenericType
            && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            type = type.GetGenericArguments()[0];
        }
        if (CanCarryStatus(type) || StreamedItemType(method.ReturnType) is not null) return;
        throw new BindingException(
            $"{TypeNames.Handler(method)} returns {TypeNames.Friendly(method.ReturnType)}, which can never carry a status: " +
            "return an int status, a tuple such as (200, value), a Reply, IAsyncEnumerable<T> (streamed), " +
            "or object (checked per call, 406 when there is no status)");
    }

    private static bool CanCarryStatus(Type type)
    {
        if (type == typeof(int) || type == typeof(object) || type == typeof(ITuple) || typeof(Reply).IsAssignableFrom(type)) return true;
        if (type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
        {
            return type.GetGenericArguments()[0] == typeof(int);
        }
        if (type.IsGenericType && type.FullName!.StartsWith("System.Tuple`", StringComparison.Ordinal))
        {
            return type.GetGenericArguments()[0] == typeof(int);
        }
        return !type.IsSealed && !type.IsValueType && type != typeof(string) && typeof(ITuple).IsAssignableFrom(type);
    }

    /// <summary>
    /// The item type when <paramref name="type"/> is (or implements) <c>IAsyncEnumerable&lt;T&gt;</c> and carries no status
    /// itself: such a handler streams a JSON array, or server-sent events for <c>SseItem&lt;T&gt;</c> items.
    /// </summary>
    private static Type? StreamedItemType(Type type)
    {
        if (type == typeof(object) || typeof(Reply).IsAssignableFrom(type) || typeof(ITuple).IsAssignableFrom(type)) return null;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)) return type.GetGenericArguments()[0];
        var found = type.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>))
            .ToArray();
        return found.Length == 1 ? found[0].GetGenericArguments()[0] : null;
    }

    private static Type? SseDataType(Type itemType) =>
        itemType.IsGenericType && itemType.GetGenericTypeDefinition() == typeof(System.Net.ServerSentEvents.SseItem<>)
            ? itemType.GetGenericArguments()[0]
            : null;

    private static async ValueTask<object?> FromTask<T>(Task<T> task) => await task.ConfigureAwait(false);

    private static ValueTask<object?> FromValueTask<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : Await(task);

    private static async ValueTask<object?> Await<T>(ValueTask<T> task) => await task.ConfigureAwait(false);
}
