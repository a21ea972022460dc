"""What every workflow shares: to-dos (待办/已办) and notifications."""
