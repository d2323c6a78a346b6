import { Type, type Static } from '@sinclair/typebox';

export const UserSchema = Type.Object(
  {
    token: Type.String({ description: 'Your API token' }),
    organization: Type.String({ description: 'Your organization or company name' }),
    email: Type.String({ description: 'Your email address' }),
    first_name: Type.String({ description: 'Your first name' }),
    last_name: Type.String({ description: 'Your last name' }),
    phone_number: Type.String({ description: 'Your phone number' }),
    plan_id: Type.String({ description: "The Datafiniti plan to which you're subscribed" }),
    type: Type.String({ description: "Your account type. Should be set to 'user'." }),
    active: Type.Integer({ description: 'Whether or not your account is active' }),
    available_downloads: Type.Integer({ description: 'The number of records you can download at this time' }),
    date_registered: Type.String({ description: 'The date your account was created' }),
  },
);
export type User = Static<typeof UserSchema>;

export const UsersResponseSchema = Type.Array(UserSchema);

export const ErrorSchema = Type.Object(
  {
    error: Type.String(),
    message: Type.String({ description: 'Error message describing what went wrong' }),
    code: Type.Integer(),
  },
);
export type ErrorBody = Static<typeof ErrorSchema>;
