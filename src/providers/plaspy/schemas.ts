import { Type, type Static } from '@sinclair/typebox';

/**
 * A user as the pages describe it: name, email, country and timeZone required, every other field
 * optional (the mock sends them all, as the documented examples do; the real service may leave
 * one out). Declared in the documented order, which the serializer keeps.
 */
export const UserSchema = Type.Object({
  id: Type.Optional(Type.String({ description: 'Unique identifier of the user.' })),
  name: Type.String({ description: 'Name of the user.' }),
  email: Type.String({ description: 'Email of the user.' }),
  country: Type.String({ description: 'Country of the user.' }),
  timeZone: Type.String({ description: 'Time zone of the user.' }),
  description: Type.Optional(Type.String({ description: 'Additional description of the user.' })),
  message: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Message associated with the user.' })),
  disabled: Type.Optional(Type.Boolean({ description: 'Indicates whether the user is disabled.' })),
  disabledMessage: Type.Optional(Type.Union([Type.String(), Type.Null()], {
    description: 'Message describing why the user is disabled.',
  })),
  tags: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Set of tags associated with the user.' })),
  privileges: Type.Optional(Type.Array(Type.String(), { description: 'List of user privileges.' })),
  group: Type.Optional(Type.String({ description: 'Group to which the user belongs.' })),
  deviceId: Type.Optional(Type.String({ description: "Identifier of the user's device." })),
  adminDevices: Type.Optional(Type.Integer({ description: 'Number of devices managed by the user.' })),
  from: Type.Optional(Type.String({ description: "Start date and time of the user's activity." })),
  expires: Type.Optional(Type.String({ description: 'Expiration date and time of the user.' })),
  password: Type.Optional(Type.Union([Type.String(), Type.Null()], {
    description: "User's password (encrypted). The mock never discloses one: always null, as in the documented examples.",
  })),
  creation: Type.Optional(Type.String({ description: 'Date and time the user was created.' })),
  modification: Type.Optional(Type.String({ description: "Date and time of the user's last modification." })),
  lastLogin: Type.Optional(Type.String({ description: "Date and time of the user's last login." })),
});
/** A user as the mock answers it: every field present, the password null. */
export type User = Required<Static<typeof UserSchema>> & { password: null };

/** A user as the store keeps it: every field present, and a password that answers never show. */
export type StoredUser = Omit<User, 'password'> & { password: string | null };

/** The envelope's fields: none is required by the pages, though the mock always sends them. */
const UsageProperties = {
  apiUsage: Type.Optional(Type.Integer({ description: 'Current API usage by the user.' })),
  apiDailyUsage: Type.Optional(Type.Integer({ description: 'Daily API usage by the user.' })),
};
const Success = Type.Optional(Type.Boolean({ description: 'Indicates whether the request was successful.' }));
export type Usage = { apiUsage: number; apiDailyUsage: number };

export const UsersResponseSchema = Type.Object({
  success: Success,
  ...UsageProperties,
  users: Type.Optional(Type.Array(UserSchema, { description: 'List of user objects.' })),
});

/** The documented answer of GET /api/users/{userId}: the user's fields beside the envelope's, flattened. */
export const UserResponseSchema = Type.Object({
  success: Success,
  ...UsageProperties,
  ...UserSchema.properties,
});

export const ErrorSchema = Type.Object({
  success: Type.Optional(Type.Boolean({ description: 'Indicates whether the request was successful: false.' })),
  error: Type.Optional(Type.String({ description: 'Contains the error message if success is false.' })),
  ...UsageProperties,
});
export type ErrorBody = Static<typeof ErrorSchema>;

export const UserParamsSchema = Type.Object({
  userId: Type.String({ minLength: 1, description: 'The unique identifier of the user.' }),
});
