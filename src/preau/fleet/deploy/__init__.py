"""Software deployment: package files stored by parts, targets, the Deploy task protocol."""
