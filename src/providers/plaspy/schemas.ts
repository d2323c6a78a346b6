import { Type, type Static } from '@sinclair/typebox';

/**
 * A user as the mock sends it: every documented field, always present, as in the documented examples
 * (the pages mark only name, email, country and timeZone as required). Declared in the documented
 * order, which the serializer keeps because all are required.
 */
export const UserSchema = Type.Object({
  id: Type.String({ description: 'Unique identifier of the user.' }),
  name: Type.String({ description: 'Name of the user.' }),
  email: Type.String({ description: 'Email of the user.' }),
  country: Type.String({ description: 'Country of the user.' }),
  timeZone: Type.String({ description: 'Time zone of the user.' }),
  description: Type.String({ description: 'Additional description of the user.' }),
  message: Type.Union([Type.String(), Type.Null()], { description: 'Message associated with the user.' }),
  disabled: Type.Boolean({ description: 'Indicates whether the user is disabled.' }),
  disabledMessage: Type.Union([Type.String(), Type.Null()], {
    description: 'Message describing why the user is disabled.',
  }),
  tags: Type.Record(Type.String(), Type.String(), { description: 'Set of tags associated with the user.' }),
  privileges: Type.Array(Type.String(), { description: 'List of user privileges.' }),
  group: Type.String({ description: 'Group to which the user belongs.' }),
  deviceId: Type.String({ description: "Identifier of the user's device." }),
  adminDevices: Type.Integer({ description: 'Number of devices managed by the user.' }),
  from: Type.String({ description: "Start date and time of the user's activity." }),
  expires: Type.String({ description: 'Expiration date and time of the user.' }),
  password: Type.Null({
    description: "User's password (encrypted). Never disclosed: always null, as in the documented examples.",
  }),
  creation: Type.String({ description: 'Date and time the user was created.' }),
  modification: Type.String({ description: "Date and time of the user's last modification." }),
  lastLogin: Type.String({ description: "Date and time of the user's last login." }),
});
export type User = Static<typeof UserSchema>;

/** A user as the store keeps it: every field present, and a password that answers never show. */
export type StoredUser = Omit<User, 'password'> & { password: string | null };

const UsageProperties = {
  apiUsage: Type.Integer({ description: 'Current API usage by the user.' }),
  apiDailyUsage: Type.Integer({ description: 'Daily API usage by the user.' }),
};
export type Usage = { apiUsage: number; apiDailyUsage: number };

export const UsersResponseSchema = Type.Object({
  success: Type.Boolean({ description: 'Indicates whether the request was successful.' }),
  ...UsageProperties,
  users: Type.Array(UserSchema, { description: 'List of user objects.' }),
});

/** The documented answer of GET /api/users/{userId}: the user's fields beside the envelope's, flattened. */
export const UserResponseSchema = Type.Object({
  success: Type.Boolean({ description: 'Indicates whether the request was successful.' }),
  ...UsageProperties,
  ...UserSchema.properties,
});

export const ErrorSchema = Type.Object({
  success: Type.Boolean({ description: 'Indicates whether the request was successful: false.' }),
  error: Type.String({ description: 'Contains the error message if success is false.' }),
  ...UsageProperties,
});
export type ErrorBody = Static<typeof ErrorSchema>;

export const UserParamsSchema = Type.Object({
  userId: Type.String({ minLength: 1, description: 'The unique identifier of the user.' }),
});
