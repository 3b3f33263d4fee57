using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>A container whose nested types are generic types in .NET's eyes (they carry <typeparamref name="T"/>).</summary>
public static class GenericContainer<T>
{
    /// <summary>A JSON body type nested in a generic class, as test classes written once per host kind have them.</summary>
    public sealed record Payload(string Item);
}

/// <summary>Found while writing the sealed-body tests: binding edge cases outside the host tests' own subject.</summary>
public sealed class BindingFindingsTests
{
    [Fact]
    public void A_json_body_parameter_whose_type_is_nested_in_a_generic_class_can_be_bound()
    {
        var router = new Router();

        // Its Type.Name has no generic arity suffix ("Payload", not "Payload`1") although IsGenericType is true.
        router.Bind("/payload", (GenericContainer<int>.Payload payload) => (200, payload.Item), "POST");

        Assert.Single(router.Bindings);
    }
}
