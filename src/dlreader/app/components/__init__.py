"""The app's widgets, one module each (each declares its own messages)."""
