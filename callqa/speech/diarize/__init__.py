"""speech/diarize"""
