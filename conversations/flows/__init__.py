"""What the engine does with each kind of input, flow by flow: the survey step; consent and
the notice; language; erasure; a muhtar's link and its stats."""
