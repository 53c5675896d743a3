import { apiUrl, request } from '../api';
import type { AuditList, CreateUserBody, UpdateUserBody, User, UserList } from '../../shared/auth-schemas';

export type { AuditList, User };

const json = { 'content-type': 'application/json' };

export function fetchUsers(signal?: AbortSignal): Promise<UserList> {
  return request(apiUrl('/api/users'), { signal });
}

export function createUser(body: CreateUserBody): Promise<User> {
  return request(apiUrl('/api/users'), { method: 'POST', headers: json, body: JSON.stringify(body) });
}

export function updateUser(id: number, body: UpdateUserBody): Promise<User> {
  return request(apiUrl(`/api/users/${id}`), { method: 'PATCH', headers: json, body: JSON.stringify(body) });
}

export interface AuditFilter {
  entity?: string;
  user?: string;
  from?: string;
  to?: string;
}

export function fetchAudit(filter: AuditFilter, signal?: AbortSignal): Promise<AuditList> {
  return request(apiUrl('/api/audit', { ...filter, limit: 300 }), { signal });
}
