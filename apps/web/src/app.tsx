import { LoginPage } from './auth/login-page'
import { RegisterPage } from './auth/register-page'
import { useSession } from './auth/session'
import { HomePage } from './home/home-page'
import { useHashRoute } from './lib/hash-route'

export function App() {
  const signedIn = useSession() !== null
  const route = useHashRoute()
  if (signedIn) return <HomePage />
  return route === '/register' ? <RegisterPage /> : <LoginPage />
}
