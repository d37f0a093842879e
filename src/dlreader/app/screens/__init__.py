"""The app's modal screens, each imported only when first opened."""
