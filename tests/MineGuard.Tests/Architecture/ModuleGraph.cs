using System.Reflection;
using System.Reflection.Emit;

namespace MineGuard.Tests.Architecture;

/// <summary>
/// Which module references which, read from compiled types by reflection: base types, interfaces, fields, properties,
/// method signatures, attributes and every type, method and field token in method bodies (the IL), so a `new`, a call
/// or a static read of another module's type counts as much as a field of its type. No package needed.
/// </summary>
public sealed class ModuleGraph
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    private readonly Func<Type, string?> moduleOf;

    /// <param name="moduleOf">A type's module ("Features.Adits", "Platform", "Data"), or null for types outside the product.</param>
    public ModuleGraph(Func<Type, string?> moduleOf) => this.moduleOf = moduleOf;

    /// <summary>Every reference between two different modules: (from, to) → an example "Type → Type".</summary>
    public Dictionary<(string From, string To), string> Edges(IEnumerable<Type> types)
    {
        var edges = new Dictionary<(string, string), string>();
        foreach (var type in types)
        {
            if (moduleOf(type) is not { } from) continue;
            foreach (var used in References(type))
            {
                foreach (var t in Expand(used))
                {
                    if (moduleOf(t) is { } to && to != from) edges.TryAdd((from, to), $"{type.FullName} → {t.FullName}");
                }
            }
        }
        return edges;
    }

    private static IEnumerable<Type> Expand(Type t)
    {
        while (t.HasElementType) t = t.GetElementType()!;
        if (t.IsGenericParameter) yield break;
        yield return t.IsGenericType ? t.GetGenericTypeDefinition() : t;
        if (t.IsGenericType)
        {
            foreach (var a in t.GetGenericArguments())
            {
                foreach (var x in Expand(a)) yield return x;
            }
        }
        if (t.DeclaringType is { } outer && !t.IsGenericParameter)
        {
            foreach (var x in Expand(outer)) yield return x;
        }
    }

    private static IEnumerable<Type> References(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.BaseType is { } b) yield return b;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var a in Attributes(type.CustomAttributes)) yield return a;
        foreach (var f in type.GetFields(all))
        {
            yield return f.FieldType;
            foreach (var a in Attributes(f.CustomAttributes)) yield return a;
        }
        foreach (var p in type.GetProperties(all))
        {
            yield return p.PropertyType;
            foreach (var a in Attributes(p.CustomAttributes)) yield return a;
        }
        foreach (var m in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (m is MethodInfo mi) yield return mi.ReturnType;
            foreach (var p in m.GetParameters()) yield return p.ParameterType;
            foreach (var a in Attributes(m.CustomAttributes)) yield return a;
            foreach (var t in BodyReferences(m)) yield return t;
        }
    }

    private static IEnumerable<Type> Attributes(IEnumerable<CustomAttributeData> attributes)
    {
        foreach (var a in attributes)
        {
            yield return a.AttributeType;
            foreach (var arg in a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue)))
            {
                if (arg.Value is Type t) yield return t;
            }
        }
    }

    /// <summary>The types named by the tokens of a method body's IL.</summary>
    private static List<Type> BodyReferences(MethodBase method)
    {
        var found = new List<Type>();
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException)
        {
            return found;
        }
        if (il is null) return found;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE && i + 1 < il.Length ? (short)(0xFE00 | il[i + 1]) : il[i];
            if (!OpCodesByValue.TryGetValue(value, out var op)) break;
            i += op.Size;
            switch (op.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField:
                    var token = BitConverter.ToInt32(il, i);
                    try
                    {
                        var member = method.Module.ResolveMember(token, typeArgs, methodArgs);
                        switch (member)
                        {
                            case Type t:
                                found.Add(t);
                                break;
                            case MethodBase mb:
                                if (mb.DeclaringType is { } dt) found.Add(dt);
                                if (mb is MethodInfo { IsGenericMethod: true } gm) found.AddRange(gm.GetGenericArguments());
                                break;
                            case FieldInfo fi:
                                if (fi.DeclaringType is { } ft) found.Add(ft);
                                found.Add(fi.FieldType);
                                break;
                        }
                    }
                    catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMemberException)
                    {
                        // A member of an assembly not loaded here: outside the product, so not a module edge.
                    }
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    var n = BitConverter.ToInt32(il, i);
                    i += 4 + 4 * n;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineNone:
                    break;
                default:
                    i += 4;
                    break;
            }
        }
        return found;
    }
}
