import { describe, expect, it } from 'vitest'
import { canManage, isRole, ROLES } from './roles.ts'

describe('roles', () => {
  it('lets only admins manage the organisation', () => {
    expect(canManage('admin')).toBe(true)
    expect(canManage('user')).toBe(false)
  })

  it('recognises exactly the declared roles', () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true)
    for (const value of ['Admin', 'owner', '', null, undefined, 1, ['admin'], { role: 'admin' }]) {
      expect(isRole(value)).toBe(false)
    }
  })
})
