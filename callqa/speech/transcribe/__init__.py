"""speech/transcribe"""
