"""Haven plugin for {{title}}: its domestic-abuse housing procedure as data and small pure functions."""
