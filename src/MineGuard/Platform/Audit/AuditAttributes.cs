namespace MineGuard.Platform.Audit;

/// <summary>
/// A property whose value never enters the audit trail: a secret or its hash, an encrypted identity, personal text, bulk
/// data kept elsewhere. A change to it shows in the trail only as "(secret) changed". Each feature marks its own.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AuditHiddenAttribute : Attribute;

/// <summary>
/// An entity that is its own record of what happened (an SMS outbox row, an in-app notification, a send attempt): its
/// rows are not copied into the audit trail, where they would only repeat themselves (and the phone numbers in them).
/// The change that caused them (an escalation, a state change) is audited where it is made.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OwnRecordAttribute : Attribute;
