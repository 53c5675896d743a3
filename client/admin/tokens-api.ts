import { apiUrl, request } from '../api';
import type { NewToken, TokenList } from '../../shared/auth-schemas';

export type { NewToken, TokenList };

export function fetchTokens(signal?: AbortSignal): Promise<TokenList> {
  return request(apiUrl('/api/tokens'), { signal });
}

export function createToken(name: string): Promise<NewToken> {
  return request(apiUrl('/api/tokens'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
}

export function revokeToken(id: number): Promise<void> {
  return request(apiUrl(`/api/tokens/${id}`), { method: 'DELETE' });
}
