import { Type, type Static } from '@sinclair/typebox';
import { DateText, Text } from './primitives.js';

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('planner'), Type.Literal('commander'), Type.Literal('gis')]);
export type Role = Static<typeof Role>;

const Username = Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$', description: 'letters, digits and _ . @ -' });
const Password = Text({ minLength: 10, maxLength: 200, description: 'at least 10 characters' });

export const LoginBody = Type.Object(
  { username: Text({ minLength: 1, maxLength: 64 }), password: Text({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const Me = Type.Object({ id: Type.Integer(), username: Type.String(), role: Role });
export type Me = Static<typeof Me>;

export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: Role,
  disabled: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
});
export type User = Static<typeof User>;

export const UserList = Type.Object({ items: Type.Array(User) });
export type UserList = Static<typeof UserList>;

export const CreateUserBody = Type.Object({ username: Username, password: Password, role: Role }, { additionalProperties: false });
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  { role: Type.Optional(Role), disabled: Type.Optional(Type.Boolean()), password: Type.Optional(Password) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const CreateTokenBody = Type.Object({ name: Text({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export type CreateTokenBody = Static<typeof CreateTokenBody>;

export const NewToken = Type.Object({ id: Type.Integer(), name: Type.String(), token: Type.String() });
export type NewToken = Static<typeof NewToken>;

export const TokenList = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  })),
});
export type TokenList = Static<typeof TokenList>;

export const AuditQuery = Type.Object(
  {
    entity: Type.Optional(Text({ maxLength: 64 })),
    user: Type.Optional(Text({ maxLength: 64, description: 'username' })),
    from: Type.Optional(DateText({ description: 'YYYY-MM-DD, inclusive' })),
    to: Type.Optional(DateText({ description: 'YYYY-MM-DD, inclusive' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  user: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entity: Type.String(),
  entity_id: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  address: Type.Union([Type.String(), Type.Null()], { description: "the client's address; null for the command line" }),
});
export const AuditList = Type.Object({ items: Type.Array(AuditEntry) });
export type AuditList = Static<typeof AuditList>;
